// Strings the analysis keeps from one version of a document into the next.
//
// V8 makes a slice of 13 characters or more a view into the string it was cut from (a "sliced
// string"), and a string built around one (a message quoting a name) points to it in turn. A
// name the syntax tree keeps is cut from the whole text of the version it was parsed in; the
// incremental analysis carries that tree on through later versions, so every line typed with a
// long name (`return_sequences`) kept one more whole text alive: 400 keystrokes in a megabyte
// kept 12 of them, and the server grew by 40 KB a keystroke (docs/benchmarks.md, "Typing on").

/** Shorter slices are copies already (V8's SlicedString::kMinLength). */
const SLICE_MIN = 13;

/**
 * `s` as a string of its own: the same characters, referring to no other string. A slice of a
 * concatenation makes V8 copy the concatenation into one flat string first, and the slice is
 * then a view into that copy, which holds just these characters and one more.
 */
export function detached(s: string): string {
  return s.length < SLICE_MIN ? s : (' ' + s).slice(1);
}
