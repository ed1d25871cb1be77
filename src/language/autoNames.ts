// Keras's automatic layer names: a stem (dense, lstm, ...) for the first layer of its kind,
// then stem_1, stem_2, ... Made once per stem and number and shared across walks: the walk
// after an edit that changed the shapes of 50,000 later layers names each again, mostly with
// the name it had before (dense_50001 is the 50,002nd Dense in both walks); making each string
// again was 50,000 number conversions and as many new strings kept, for the same text.

/**
 * Names kept in all (about 10 MB at most): past them names are made each time. The server lives
 * as long as the editor, and each document may count its layers of another kind higher, so
 * the bound is on the sum, not per stem.
 */
const MAX_KEPT = 1 << 18;
const MAX_STEMS = 64;
let kept = 0;

/** Per stem, its names in order from number 0 (the stem itself): filled only at the end, so never holey. */
const NAMES = new Map<string, string[]>();

/** The automatic name number `n` of `stem`. */
export function autoLayerName(stem: string, n: number): string {
  if (n === 0) return stem;
  return (NAMES.get(stem) ?? namesOf(stem))[n] ?? madeName(stem, n);
}

/** The list of `stem`'s names kept so far (made when first asked). */
function namesOf(stem: string): string[] {
  if (NAMES.size >= MAX_STEMS) forget();
  const list = [stem];
  NAMES.set(stem, list);
  return list;
}

function madeName(stem: string, n: number): string {
  const name = `${stem}_${n}`;
  const list = NAMES.get(stem)!;
  if (n === list.length && kept < MAX_KEPT) {
    list.push(name);
    kept++;
  }
  return name;
}

function forget(): void {
  NAMES.clear();
  kept = 0;
}
