import argon2 from "argon2";

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes): OWASP's recommended range. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the account does not exist keeps the timing the same. */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("not-a-real-password-timing-equaliser");
  return dummyHash;
}
