/**
 * Names as they get written down wrong, to measure search recall (the unit test and
 * `npm run bench -- front-door`): up to two typing errors (a letter dropped, doubled, swapped
 * with the next, or replaced by a neighbour on the keyboard), or a spelling that sounds the
 * same (Sarah/Sara, Louis/Lewis, Riley/Reilly, -en/-in, ph/f, ck/k...). Deterministic.
 */
import type { Random } from "../../demo/random.ts";

export interface Misspelling {
  givenName: string;
  familyName: string;
  /** What was done, for reading failures. */
  how: string;
}

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

function neighbour(rng: Random, letter: string): string {
  for (const row of KEYBOARD_ROWS) {
    const at = row.indexOf(letter);
    if (at < 0) continue;
    const options = [row[at - 1], row[at + 1]].filter((c): c is string => c !== undefined);
    return rng.pick(options);
  }
  return letter;
}

/** One typing error inside the word, never on its first letter (people rarely get that wrong). */
function typo(rng: Random, word: string): string {
  if (word.length < 3) return word;
  const at = rng.int(1, word.length - 1);
  const letter = word[at] ?? "";
  switch (rng.int(0, 3)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + letter + word.slice(at);
    case 2:
      return at < word.length - 1
        ? word.slice(0, at) + (word[at + 1] ?? "") + letter + word.slice(at + 2)
        : word.slice(0, at - 1) + letter + (word[at - 1] ?? "");
    default: {
      const lower = letter.toLowerCase();
      return word.slice(0, at) + neighbour(rng, lower) + word.slice(at + 1);
    }
  }
}

/** Spellings that sound the same: [pattern, replacement]. */
const SOUNDS_ALIKE: readonly (readonly [RegExp, string])[] = [
  [/ah$/i, "a"],
  [/a$/i, "ah"],
  [/ou/i, "ew"],
  [/ew/i, "ou"],
  [/ey$/i, "y"],
  [/y$/i, "ie"],
  [/ie$/i, "y"],
  [/ei/i, "i"],
  [/en$/i, "in"],
  [/in$/i, "en"],
  [/ph/i, "f"],
  [/ck/i, "k"],
  [/c/i, "k"],
  [/k/i, "c"],
  [/ll/i, "l"],
  [/l/i, "ll"],
  [/tt/i, "t"],
  [/nn/i, "n"],
  [/ss/i, "s"],
  [/th/i, "t"],
  [/ae/i, "ay"],
  [/z/i, "s"],
  [/s$/i, "z"],
  [/i/i, "y"],
  [/y/i, "i"],
];

function soundAlike(rng: Random, word: string): string | undefined {
  const start = rng.int(0, SOUNDS_ALIKE.length - 1);
  for (let i = 0; i < SOUNDS_ALIKE.length; i++) {
    const [pattern, replacement] = SOUNDS_ALIKE[(start + i) % SOUNDS_ALIKE.length] ?? [/$^/, ""];
    // Not on the first letter: "Kate" for "Cate" is fair, but search would then be asked to
    // find a name by a different initial sound, which the phonetic key cannot promise.
    if (word.slice(1).search(pattern) < 0) continue;
    const changed = word.slice(0, 1) + word.slice(1).replace(pattern, replacement);
    if (changed.toLowerCase() !== word.toLowerCase()) return changed;
  }
  return undefined;
}

/**
 * A misspelling of the name: half with two typing errors (on one word or one on each), half
 * with a spelling that sounds the same (and a third of those with one typing error as well).
 */
export function misspell(rng: Random, givenName: string, familyName: string): Misspelling {
  let given = givenName;
  let family = familyName;
  if (rng.chance(0.5)) {
    const where = rng.int(0, 2);
    if (where === 0) given = typo(rng, typo(rng, given));
    else if (where === 1) family = typo(rng, typo(rng, family));
    else {
      given = typo(rng, given);
      family = typo(rng, family);
    }
    return { givenName: given, familyName: family, how: "two typing errors" };
  }
  const onFamily = rng.chance(0.5);
  const sounded = soundAlike(rng, onFamily ? family : given);
  if (sounded) {
    if (onFamily) family = sounded;
    else given = sounded;
  } else {
    family = typo(rng, family);
  }
  if (rng.chance(1 / 3)) {
    if (onFamily) given = typo(rng, given);
    else family = typo(rng, family);
    return { givenName: given, familyName: family, how: "sounds alike and one typing error" };
  }
  return { givenName: given, familyName: family, how: "sounds alike" };
}
