// Android library module of AuthingResign (Kotlin package `authing.resign`).
// Populate it first with ./build-android.sh (native libraries + generated Kotlin), then
// either include it in an app's settings.gradle.kts: include(":authing-resign");
// project(":authing-resign").projectDir = file("<path>/bindings-swift/android")
// or publish the AAR (with a sources jar): `gradle publishReleasePublicationToLocalRepository`
// writes a Maven repository to build/repo; the release workflow attaches it.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    id("maven-publish")
}

// One version for every package: the Rust workspace's.
val crateVersion: String = Regex("""(?m)^version = "([^"]+)"""")
    .find(file("../../Cargo.toml").readText())?.groupValues?.get(1)
    ?: error("no version in ../../Cargo.toml")

android {
    namespace = "authing.resign"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets["main"].apply {
        kotlin.srcDirs("src/main/kotlin")
        // build-android.sh writes libauthing_resign_ffi.so per ABI here.
        jniLibs.srcDirs("src/main/jniLibs")
    }

    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // uniffi's Kotlin calls the Rust library through JNA; the AAR carries its native parts.
    implementation("net.java.dev.jna:jna:5.13.0@aar")
    // uniffi's suspend functions need kotlinx-coroutines.
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.8.1")
    // The generated code's API-level checks for the Android cleaner.
    implementation("androidx.annotation:annotation:1.8.2")
}

publishing {
    publications {
        register<MavenPublication>("release") {
            groupId = "authing.resign"
            artifactId = "authing-resign-android"
            version = crateVersion
            afterEvaluate { from(components["release"]) }
            pom {
                name.set("authing-resign-android")
                description.set("Batch resignation of Authing users (Kotlin, uniffi over the Rust core)")
                licenses {
                    license {
                        name.set("MIT")
                        url.set("https://opensource.org/licenses/MIT")
                    }
                    license {
                        name.set("Apache-2.0")
                        url.set("https://www.apache.org/licenses/LICENSE-2.0")
                    }
                }
            }
        }
    }
    repositories {
        maven {
            name = "local"
            url = uri(layout.buildDirectory.dir("repo"))
        }
    }
}
