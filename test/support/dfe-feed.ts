/**
 * The DfE feed's test rig: a real authorisation server (oidc-provider) issuing the feed's
 * client-credentials tokens and the stand-in DfE receiver that checks them, with the feed's
 * settings pointing at both and a transport whose sleep returns at once and records each wait.
 */
import type { DfeFeedConfig } from "../../src/platform/config.ts";
import type { FeedTransport } from "../../src/modules/returns/dfe-feed-send.ts";
import { startDfeReceiver, type DfeReceiver } from "./dfe-receiver.ts";
import { startAuthorisationServer, type AuthorisationServer } from "./oauth-server.ts";

export const FEED_CLIENT = { clientId: "trellis-feed-938", clientSecret: "synthetic-feed-secret" };
const AUDIENCE = "dfe-csc-api";

export interface FeedRig {
  oauth: AuthorisationServer;
  receiver: DfeReceiver;
  settings: DfeFeedConfig;
  /** The back-off waits asked for, in order. */
  waits: number[];
  transport: FeedTransport;
  close(): Promise<void>;
}

export async function startFeedRig(): Promise<FeedRig> {
  const oauth = await startAuthorisationServer([FEED_CLIENT], AUDIENCE);
  const receiver = await startDfeReceiver(oauth.issuer, AUDIENCE);
  const waits: number[] = [];
  return {
    oauth,
    receiver,
    settings: {
      baseUrl: receiver.url,
      tokenUrl: `${oauth.issuer}/token`,
      ...FEED_CLIENT,
    },
    waits,
    transport: {
      fetch: (input, init) => fetch(input, init),
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
    },
    close: async () => {
      await receiver.close();
      await oauth.close();
    },
  };
}
