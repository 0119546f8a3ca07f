/**
 * Per-client rate limits (decision 0030): a fixed one-minute window per client, counted in this
 * process. Several instances each count their own, so the limit is per instance; that is
 * enough to stop one runaway system from crowding out the rest.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; calls: number }>();

  /** Takes one call; 0 when allowed, else the seconds until the client may call again. */
  take(client: string, perMinute: number, now: Date): number {
    const at = now.getTime();
    const window = this.windows.get(client);
    if (!window || at - window.startedAt >= 60_000) {
      this.windows.set(client, { startedAt: at, calls: 1 });
      return 0;
    }
    if (window.calls >= perMinute) return Math.ceil((window.startedAt + 60_000 - at) / 1000);
    window.calls += 1;
    return 0;
  }
}
