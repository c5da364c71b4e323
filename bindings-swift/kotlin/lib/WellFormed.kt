// Hand-written Kotlin shipped with the generated bindings: the check uniffi.toml runs
// while user ids are lowered (custom types UserIds and UserId, src/ids.rs).
package authing.resign

/**
 * Returns [ids] unchanged, or throws [AuthingException.InvalidArgument] naming
 * `userIds[i]` when an id holds a lone UTF-16 surrogate. UTF-8 cannot carry one:
 * uniffi's encoder would throw an untyped `MalformedInputException`, and a lenient one
 * would send U+FFFD, i.e. an id other than the one given. Runs before anything is sent.
 */
internal fun wellFormedIds(ids: List<String>): List<String> {
    ids.forEachIndexed { i, id -> lonelySurrogate(id)?.let { throw refused("userIds", i.toULong(), it) } }
    return ids
}

/** [wellFormedIds] for the single id of `resignUser` (argument `userId`). */
internal fun wellFormedId(id: String): String {
    lonelySurrogate(id)?.let { throw refused("userId", null, it) }
    return id
}

/** Why [id] is not well-formed UTF-16, or null when it is. */
private fun lonelySurrogate(id: String): String? {
    var i = 0
    while (i < id.length) {
        val c = id[i]
        val paired = when {
            Character.isHighSurrogate(c) -> i + 1 < id.length && Character.isLowSurrogate(id[i + 1])
            Character.isLowSurrogate(c) -> false
            else -> true
        }
        if (!paired) {
            return "holds a lone surrogate U+%04X at UTF-16 offset %d (not valid Unicode): it cannot be sent unaltered"
                .format(c.code, i)
        }
        i += if (Character.isHighSurrogate(c)) 2 else 1
    }
    return null
}

private fun refused(field: String, index: ULong?, reason: String) =
    AuthingException.InvalidArgument(field = field, index = index, reason = reason)
