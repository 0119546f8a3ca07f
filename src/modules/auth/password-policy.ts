import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/**
 * What a password set by an administrator must be (NCSC password guidance): long enough, not
 * on a list of common and breached passwords, not an easy pattern of one (repeats, sequences,
 * keyboard runs, words with digits on the end), and not made of the person's name or email or
 * the service's name. The lists and the pattern matching are zxcvbn's (@zxcvbn-ts, MIT): its
 * common-password list comes from published breaches, and it rates a password by the guesses
 * an attacker working through those patterns would need.
 */
export const MIN_LENGTH = 12;
export const MAX_LENGTH = 200;
/** zxcvbn's score 3: at least 10^8 guesses, "safely unguessable" against online attacks. */
const MIN_SCORE = 3;
const SERVICE_WORDS = ["trellis"];

let checker: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return checker;
}

/** Parts of a name or email long enough to matter in a password ("Priya", "natarajan"). */
function personalWords(person: { name: string; email: string }): string[] {
  const [local = "", domain = ""] = person.email.toLowerCase().split("@");
  return [person.name, local, domain.split(".")[0] ?? ""]
    .flatMap((part) => [part.toLowerCase(), ...part.toLowerCase().split(/[^a-z0-9]+/)])
    .map((word) => word.replace(/[^a-z0-9]/g, ""))
    .filter((word) => word.length >= 3);
}

const SIMPLE_PATTERNS = new Set(["repeat", "sequence", "spatial"]);

/** The reason a password may not be used, in words for the form, or undefined if it may. */
export function passwordProblem(
  password: string,
  person: { name: string; email: string },
): string | undefined {
  if (password.length < MIN_LENGTH)
    return `The password must be ${String(MIN_LENGTH)} characters or more`;
  if (password.length > MAX_LENGTH)
    return `The password must be ${String(MAX_LENGTH)} characters or fewer`;
  const squashed = password.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (SERVICE_WORDS.some((word) => squashed.includes(word))) {
    return "The password must not contain the name of the service";
  }
  const words = personalWords(person);
  if (words.some((word) => squashed.includes(word))) {
    return "The password must not contain the person's name or email address";
  }
  const result = zxcvbn().check(password, [...words, ...SERVICE_WORDS]);
  if (result.score >= MIN_SCORE) return undefined;
  const simple = result.sequence.every((match) => SIMPLE_PATTERNS.has(match.pattern));
  return simple
    ? "The password must not be repeated characters, a sequence like abcd or 1234, or a row of keys"
    : "The password is too easy to guess: it is, or is like, a commonly used password. Try three random words";
}
