import { demoPassword } from "../src/demo/generate.ts";

/** Signs a demo user in through the form, as a browser does; returns the session cookie. */
export async function signInOverHttp(base: string, email: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const csrfCookie = /trellis_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const response = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: `trellis_csrf=${csrfCookie}`,
    },
    body: new URLSearchParams({
      email,
      password: demoPassword,
      _csrf: token,
      next: "/",
    }).toString(),
  });
  const session = /trellis_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
  if (response.status !== 303 || !session) throw new Error(`sign-in failed for ${email}`);
  return `trellis_session=${session}`;
}
