import { describe, it, expect } from "vitest";
import {
  formatNhsNumber,
  generateNhsNumber,
  generateUpn,
  nhsCheckDigit,
  upnCheckLetter,
  validateNhsNumber,
  validateUpn,
} from "./identifiers.ts";

/** A small seeded generator (mulberry32) so property-style runs are repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digitsFrom(rand: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(Math.floor(rand() * 10));
  return out;
}

function expectInvalid(result: ReturnType<typeof validateNhsNumber>, message: RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.message).toMatch(message);
}

describe("validateNhsNumber", () => {
  it("accepts a valid number and normalises spaces and hyphens", () => {
    // By hand: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299;
    // 299 mod 11 = 2; 11 − 2 = 9, which is the 10th digit.
    for (const input of ["9434765919", "943 476 5919", "943-476-5919", "  943 476 5919 "]) {
      expect(validateNhsNumber(input)).toEqual({ ok: true, value: "9434765919" });
    }
  });

  it("treats a computed check digit of 11 as 0", () => {
    // By hand: 9×10 + 9×9 + 9×8 + 5×2 = 253 = 23 × 11, remainder 0, so the check digit is 0.
    expect(nhsCheckDigit("999000005")).toBe(0);
    expect(validateNhsNumber("999 000 0050")).toEqual({ ok: true, value: "9990000050" });
  });

  it("rejects every number whose computed check digit would be 10", () => {
    // By hand: 9×10 + 9×9 + 9×8 = 243; 243 mod 11 = 1; 11 − 1 = 10, so no 10th digit works.
    expect(nhsCheckDigit("999000000")).toBeUndefined();
    for (let last = 0; last <= 9; last++) {
      expectInvalid(validateNhsNumber(`999000000${String(last)}`), /fails its check digit/);
    }
  });

  it("rejects a wrong check digit", () => {
    expectInvalid(validateNhsNumber("943 476 5918"), /^Enter a valid NHS number/);
  });

  it("asks for a number when the input is empty or blank", () => {
    expectInvalid(validateNhsNumber(""), /^Enter an NHS number$/);
    expectInvalid(validateNhsNumber("   "), /^Enter an NHS number$/);
  });

  it("rejects the wrong number of digits", () => {
    for (const input of ["943476591", "94347659190", "943 476 591", "1"]) {
      expectInvalid(validateNhsNumber(input), /^Enter an NHS number with 10 digits$/);
    }
  });

  it("rejects letters and other punctuation", () => {
    for (const input of ["943476591O", "943.476.5919", "NHS 9434765919", "+9434765919"]) {
      expectInvalid(validateNhsNumber(input), /only numbers, spaces or hyphens/);
    }
  });

  it("rejects placeholder numbers made of one repeated digit, all of which pass modulus 11", () => {
    for (let d = 0; d <= 9; d++) {
      const placeholder = String(d).repeat(10);
      // Shows why the extra rule is needed: each would otherwise be accepted.
      expect(nhsCheckDigit(placeholder.slice(0, 9))).toBe(d);
      expectInvalid(validateNhsNumber(placeholder), /placeholder/);
    }
  });

  it("checks a stem is 9 digits before computing a check digit", () => {
    expect(() => nhsCheckDigit("12345678")).toThrow(RangeError);
    expect(() => nhsCheckDigit("12345678a")).toThrow(RangeError);
  });

  describe("property: modulus 11 over generated stems", () => {
    const rand = seeded(20240305);
    const numbers: string[] = [];
    while (numbers.length < 500) {
      const stem = digitsFrom(rand, 9);
      const check = nhsCheckDigit(stem);
      const candidate = `${stem}${String(check)}`;
      if (check !== undefined && !/^(\d)\1{9}$/.test(candidate)) numbers.push(candidate);
    }

    it("accepts every number built from a stem and its check digit", () => {
      for (const n of numbers) expect(validateNhsNumber(n)).toEqual({ ok: true, value: n });
    });

    it("rejects every single-digit change, in any position", () => {
      for (const n of numbers) {
        for (let pos = 0; pos < 10; pos++) {
          for (let d = 0; d <= 9; d++) {
            if (String(d) === n[pos]) continue;
            const changed = `${n.slice(0, pos)}${String(d)}${n.slice(pos + 1)}`;
            expect(validateNhsNumber(changed).ok, `${n} → ${changed}`).toBe(false);
          }
        }
      }
    });

    it("rejects every swap of two different adjacent digits", () => {
      for (const n of numbers) {
        for (let pos = 0; pos < 9; pos++) {
          const a = n.charAt(pos);
          const b = n.charAt(pos + 1);
          if (a === b) continue;
          const swapped = `${n.slice(0, pos)}${b}${a}${n.slice(pos + 2)}`;
          expect(validateNhsNumber(swapped).ok, `${n} → ${swapped}`).toBe(false);
        }
      }
    });
  });
});

describe("formatNhsNumber", () => {
  it("groups a stored number 3-3-4", () => {
    expect(formatNhsNumber("9434765919")).toBe("943 476 5919");
  });

  it("leaves anything else as it is", () => {
    expect(formatNhsNumber("943476591")).toBe("943476591");
    expect(formatNhsNumber("")).toBe("");
  });
});

describe("generateNhsNumber", () => {
  it("produces valid numbers in the 999 test range", () => {
    const rand = seeded(1);
    for (let i = 0; i < 1000; i++) {
      const n = generateNhsNumber(rand);
      expect(n).toMatch(/^999\d{7}$/);
      expect(validateNhsNumber(n)).toEqual({ ok: true, value: n });
    }
  });

  it("still finds a valid number when the source is stuck on one value", () => {
    // () => 0 gives stem 999000000, whose check digit would be 10.
    for (const stuck of [0, 0.5, 0.99999, 1]) {
      const n = generateNhsNumber(() => stuck);
      expect(n.startsWith("999")).toBe(true);
      expect(validateNhsNumber(n).ok).toBe(true);
    }
  });

  it("is repeatable for the same seed", () => {
    expect(generateNhsNumber(seeded(7))).toBe(generateNhsNumber(seeded(7)));
  });
});

describe("upnCheckLetter", () => {
  it("matches a UPN worked by hand", () => {
    // Body 201 3456 24 017, characters 2–13 weighted 2–13:
    // 2×2 + 0×3 + 1×4 + 3×5 + 4×6 + 5×7 + 6×8 + 2×9 + 4×10 + 0×11 + 1×12 + 7×13
    //   = 4 + 0 + 4 + 15 + 24 + 35 + 48 + 18 + 40 + 0 + 12 + 91 = 291;
    // 291 mod 23 = 291 − 276 = 15; the 16th letter of ABCDEFGHJKLMNPQRTUVWXYZ is R.
    expect(upnCheckLetter("201345624017")).toBe("R");
  });

  it("matches a temporary UPN worked by hand", () => {
    // As above but character 13 is T, worth 16: 200 + 16×13 = 408;
    // 408 mod 23 = 408 − 391 = 17, which is U.
    expect(upnCheckLetter("20134562401T")).toBe("U");
    expect(upnCheckLetter("20134562401t")).toBe("U");
  });

  it("matches the examples in the DfE's UPN guidance", () => {
    expect(upnCheckLetter("801200001001")).toBe("H");
    expect(upnCheckLetter("80120000101A")).toBe("G");
  });

  it("gives P, not Q, for 207000016049 (the suppliers' worked example has a slip)", () => {
    // 2×2 + 7×4 + 1×9 + 6×10 + 4×12 + 9×13 = 266; 266 mod 23 = 13, which is P.
    expect(upnCheckLetter("207000016049")).toBe("P");
  });

  it("maps remainders onto the letter table, from A to Z", () => {
    // Each worked by hand (weights 2–13 on characters 2–13):
    expect(upnCheckLetter("000000000000")).toBe("A"); // 0
    expect(upnCheckLetter("000000000101")).toBe("B"); // 1×11 + 1×13 = 24 → 1
    expect(upnCheckLetter("00000000000K")).toBe("C"); // K = 9; 9×13 = 117 → 2
    expect(upnCheckLetter("000000000013")).toBe("F"); // 1×12 + 3×13 = 51 → 5
    expect(upnCheckLetter("000000000010")).toBe("N"); // 1×12 = 12
    expect(upnCheckLetter("000000000200")).toBe("Z"); // 2×11 = 22
  });

  it("refuses a body that is not 11 digits then a digit or allowed letter", () => {
    for (const body of [
      "20134562401",
      "2013456240170",
      "2013456240I7",
      "20134562401I",
      "20134562401O",
      "20134562401S",
      "A01345624017",
    ]) {
      expect(() => upnCheckLetter(body)).toThrow(RangeError);
    }
  });
});

describe("validateUpn", () => {
  it("accepts valid permanent and temporary UPNs, normalising case and spaces", () => {
    expect(validateUpn("R201345624017")).toEqual({ ok: true, value: "R201345624017" });
    expect(validateUpn("r201345624017")).toEqual({ ok: true, value: "R201345624017" });
    expect(validateUpn(" R201 3456 24 017 ")).toEqual({ ok: true, value: "R201345624017" });
    expect(validateUpn("U20134562401T")).toEqual({ ok: true, value: "U20134562401T" });
    expect(validateUpn("u20134562401t")).toEqual({ ok: true, value: "U20134562401T" });
    expect(validateUpn("H801200001001")).toEqual({ ok: true, value: "H801200001001" });
    expect(validateUpn("G80120000101A")).toEqual({ ok: true, value: "G80120000101A" });
  });

  it("accepts UPNs built with upnCheckLetter", () => {
    for (const body of ["938123424001", "873456712999", "20100000000Z", "93800012345H"]) {
      const upn = `${upnCheckLetter(body)}${body}`;
      expect(validateUpn(upn)).toEqual({ ok: true, value: upn });
    }
  });

  it("rejects a wrong check letter", () => {
    for (const upn of ["A201345624017", "Z801200001001", "Q207000016049", "T20134562401T"]) {
      const result = validateUpn(upn);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/first letter does not match/);
    }
  });

  it("rejects every other check letter for a valid body", () => {
    for (const letter of "ABCDEFGHJKLMNPQTUVWXYZ") {
      expect(validateUpn(`${letter}201345624017`).ok).toBe(false);
    }
  });

  it("asks for a UPN when the input is empty", () => {
    expect(validateUpn("")).toEqual({ ok: false, message: "Enter a UPN" });
    expect(validateUpn("  ")).toEqual({ ok: false, message: "Enter a UPN" });
  });

  it("rejects the wrong length", () => {
    for (const upn of ["R20134562401", "R2013456240171", "R"]) {
      expect(validateUpn(upn)).toEqual({ ok: false, message: "Enter a UPN with 13 characters" });
    }
  });

  it("rejects the wrong shape", () => {
    for (const upn of [
      "2201345624017",
      "RR01345624017",
      "R20134562A017",
      "R2013456240-7",
      "R20134562401é",
    ]) {
      const result = validateUpn(upn);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/right format/);
    }
  });

  it("rejects I, O and S as the check letter or the last letter", () => {
    for (const upn of [
      "I201345624017",
      "O201345624017",
      "S201345624017",
      "U20134562401I",
      "U20134562401O",
      "U20134562401S",
    ]) {
      const result = validateUpn(upn);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/never use the letters I, O or S/);
    }
  });

  it("property: any single changed digit in a generated UPN is caught", () => {
    // Weights 2–13 are all non-zero mod 23 and 23 is prime, so a changed digit always moves
    // the remainder.
    const rand = seeded(99);
    for (let i = 0; i < 200; i++) {
      const upn = generateUpn(rand, "938");
      for (let pos = 1; pos < 13; pos++) {
        const changedDigit = String((Number(upn[pos]) + 1 + Math.floor(rand() * 9)) % 10);
        const changed = `${upn.slice(0, pos)}${changedDigit}${upn.slice(pos + 1)}`;
        expect(validateUpn(changed).ok, `${upn} → ${changed}`).toBe(false);
      }
    }
  });
});

describe("generateUpn", () => {
  it("produces valid permanent UPNs for the given LA", () => {
    const rand = seeded(42);
    for (let i = 0; i < 1000; i++) {
      const upn = generateUpn(rand, "938");
      expect(upn).toMatch(/^[A-Z]938\d{9}$/);
      expect(validateUpn(upn)).toEqual({ ok: true, value: upn });
    }
  });

  it("produces valid temporary UPNs ending in an allowed letter", () => {
    const rand = seeded(43);
    const lastLetters = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const upn = generateUpn(rand, "201", { temporary: true });
      expect(upn).toMatch(/^[A-Z]201\d{8}[A-HJ-NPQRT-Z]$/);
      expect(validateUpn(upn)).toEqual({ ok: true, value: upn });
      lastLetters.add(upn.charAt(12));
    }
    expect(lastLetters.size).toBe(23);
  });

  it("copes with a source stuck at 0 or 1", () => {
    for (const stuck of [0, 1]) {
      expect(validateUpn(generateUpn(() => stuck, "938")).ok).toBe(true);
      expect(validateUpn(generateUpn(() => stuck, "938", { temporary: true })).ok).toBe(true);
    }
  });

  it("refuses an LA code that is not 3 digits", () => {
    for (const la of ["93", "9380", "abc", ""]) {
      expect(() => generateUpn(Math.random, la)).toThrow(RangeError);
    }
  });
});
