import { hubEndpoint, hubToken, type HubAccess } from "./env.js";
import { hubFetch } from "./fetch.js";

/** The endpoint, token and retrying fetch every Hub call of a command shares, read from the environment. */
export function hubAccess(env: NodeJS.ProcessEnv = process.env): HubAccess {
  const accessToken = hubToken(env);
  return { hubUrl: hubEndpoint(env), fetch: hubFetch(), ...(accessToken ? { accessToken } : {}) };
}
