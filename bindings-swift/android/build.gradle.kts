// Android library module of AuthingResign (Kotlin package `authing.resign`).
// Populate it first with ./build-android.sh (native libraries + generated Kotlin), then
// include it in an app's settings.gradle.kts: include(":authing-resign");
// project(":authing-resign").projectDir = file("<path>/bindings-swift/android")
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

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
