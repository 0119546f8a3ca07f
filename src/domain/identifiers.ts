/**
 * National identifiers recorded against a child: the NHS number and the DfE Unique Pupil
 * Number (UPN). Validation catches typing mistakes at the point of entry, so that records can
 * be matched reliably with health and education partners. A valid check digit does not prove a
 * number belongs to this child; it only shows the number is well formed.
 */

export type IdentifierResult = { ok: true; value: string } | { ok: false; message: string };

const invalid = (message: string): IdentifierResult => ({ ok: false, message });

// ---------------------------------------------------------------------------------------------
// NHS number
// ---------------------------------------------------------------------------------------------

const NHS_WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/**
 * The modulus 11 check digit for the first 9 digits of an NHS number, or `undefined` when the
 * stem can never form a valid number (a computed check digit of 10 is not allowed).
 */
export function nhsCheckDigit(stem9: string): number | undefined {
  if (!/^\d{9}$/.test(stem9)) {
    throw new RangeError(`An NHS number stem must be 9 digits, got "${stem9}"`);
  }
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(stem9[i]) * (NHS_WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/**
 * Accepts the number as people write it ("943 476 5919", "943-476-5919") and returns the
 * 10-digit form we store.
 */
export function validateNhsNumber(input: string): IdentifierResult {
  const trimmed = input.trim();
  if (trimmed === "") return invalid("Enter an NHS number");
  if (!/^[\d\s-]+$/.test(trimmed)) {
    return invalid("Enter an NHS number using only numbers, spaces or hyphens");
  }
  const digits = trimmed.replace(/[\s-]/g, "");
  if (digits.length !== 10) return invalid("Enter an NHS number with 10 digits");

  // Every number made of one repeated digit (0000000000, 1111111111, ... 9999999999) passes
  // the modulus 11 check, because the weights sum to 54 and 54 ≡ -1 (mod 11). They are
  // placeholders typed when the real number is not known, so we reject them rather than let
  // them match unrelated people across agencies.
  if (/^(\d)\1{9}$/.test(digits)) {
    return invalid("Enter a real NHS number: a number made of one repeated digit is a placeholder");
  }

  const check = nhsCheckDigit(digits.slice(0, 9));
  if (check === undefined || check !== Number(digits[9])) {
    return invalid(
      "Enter a valid NHS number: this one fails its check digit, so a digit may have been mistyped",
    );
  }
  return { ok: true, value: digits };
}

/** Shows a stored 10-digit NHS number in the usual 3-3-4 grouping, e.g. "943 476 5919". */
export function formatNhsNumber(digits: string): string {
  if (!/^\d{10}$/.test(digits)) return digits;
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/** An index below `n` from a `Math.random`-like source, clamped so 1.0 cannot escape. */
function randomIndex(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(rand() * n)));
}

function randomDigit(rand: () => number): number {
  return randomIndex(rand, 10);
}

function randomDigits(rand: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomDigit(rand));
  return out;
}

/**
 * A synthetic but valid NHS number for demo data. NHS England reserves 999 000 0000 to
 * 999 999 9999 for testing, so a generated number can never be a real person's.
 */
export function generateNhsNumber(rand: () => number): string {
  const head = `999${randomDigits(rand, 5)}`;
  let last = randomDigit(rand);
  // The last stem digit has weight 2, so its 10 values give 10 different remainders: at most
  // one gives check digit 10 and at most one gives 9999999999. Stepping it therefore finds a
  // valid number within three tries, even for a constant `rand`, without an open-ended loop.
  for (;;) {
    const stem = `${head}${String(last)}`;
    const check = nhsCheckDigit(stem);
    const candidate = check === undefined ? undefined : `${stem}${String(check)}`;
    if (candidate !== undefined && candidate !== "9999999999") return candidate;
    last = (last + 1) % 10;
  }
}

// ---------------------------------------------------------------------------------------------
// Unique Pupil Number (UPN)
// ---------------------------------------------------------------------------------------------

/*
 * The check letter. The brief's algorithm was checked against the DfE's UPN data standard (in
 * the Government Data Standards Catalogue) and census validation rule 1510, and they agree:
 *
 *   - characters 2 to 13 are multiplied by their position, 2 to 13;
 *   - in a temporary UPN, character 13 is a letter and counts as its value in the table below;
 *   - the sum modulo 23 indexes the table to give the check letter in position 1;
 *   - I, O and S are never used, either as the check letter or as a temporary UPN's last letter.
 *
 * The examples in the DfE's UPN guidance, H801200001001 and the temporary G80120000101A, pass.
 * Some MIS suppliers' help pages for rule 1510 give "Q207000016049" as a corrected UPN, but
 * their sum has a slip (the products add up to 266, not 267), so the right letter is P.
 *
 * We do not check characters 2 to 4 against the list of LA codes: that list changes as
 * authorities reorganise, and a stale copy here would reject real pupils.
 */
const UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

function upnCharValue(ch: string): number {
  return /\d/.test(ch) ? Number(ch) : UPN_LETTERS.indexOf(ch);
}

const UPN_BODY = /^\d{11}[\dABCDEFGHJKLMNPQRTUVWXYZ]$/;

/**
 * The check letter for the 12 characters after it: 11 digits then a digit (permanent UPN) or
 * a letter other than I, O or S (temporary UPN).
 */
export function upnCheckLetter(body12: string): string {
  const body = body12.toUpperCase();
  if (!UPN_BODY.test(body)) {
    throw new RangeError(
      `A UPN body must be 11 digits then a digit or a letter other than I, O or S, got "${body12}"`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += upnCharValue(body.charAt(i)) * (i + 2);
  return UPN_LETTERS.charAt(sum % 23);
}

/** Accepts any letter case and stray spaces; returns the 13-character upper-case UPN. */
export function validateUpn(input: string): IdentifierResult {
  const upn = input.replace(/\s/g, "").toUpperCase();
  if (upn === "") return invalid("Enter a UPN");
  if (upn.length !== 13) return invalid("Enter a UPN with 13 characters");
  if (!/^[A-Z]\d{11}[A-Z\d]$/.test(upn)) {
    return invalid(
      "Enter a UPN in the right format: a letter, then 11 numbers, then a number or a letter",
    );
  }
  if (/[IOS]/.test(upn)) {
    return invalid("Enter a valid UPN: UPNs never use the letters I, O or S");
  }
  if (upnCheckLetter(upn.slice(1)) !== upn.charAt(0)) {
    return invalid(
      "Enter a valid UPN: the first letter does not match the rest, so a character may have been mistyped",
    );
  }
  return { ok: true, value: upn };
}

/**
 * A synthetic but well-formed UPN for demo data: the given 3-digit LA code, a random
 * establishment number, year and serial. A temporary UPN ends in a letter, as schools issue
 * while they wait for a pupil's permanent UPN from a previous school.
 */
export function generateUpn(
  rand: () => number,
  laCode: string,
  options: { temporary?: boolean } = {},
): string {
  if (!/^\d{3}$/.test(laCode)) {
    throw new RangeError(`An LA code must be 3 digits, got "${laCode}"`);
  }
  const last = options.temporary
    ? UPN_LETTERS.charAt(randomIndex(rand, UPN_LETTERS.length))
    : String(randomDigit(rand));
  const body = `${laCode}${randomDigits(rand, 8)}${last}`;
  return `${upnCheckLetter(body)}${body}`;
}
