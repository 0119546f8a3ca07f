export async function runAuditBench(_args: string[]): Promise<void> {}
