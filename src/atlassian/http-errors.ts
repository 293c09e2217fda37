import { AtlassianError } from "./errors.js";
import { rateLimitWaitMs } from "./retry.js";
import { errorBodySchema } from "./schemas.js";

/** An answer of the API that is not a success, as the error it means and what to check. */
export function httpError(
  label: string,
  response: Response,
  text: string,
  now: number,
): AtlassianError {
  const status = response.status;
  const first = firstError(text);
  const detail = first ? [first.code, first.title, first.detail].filter(Boolean).join(": ") : "";
  const suffix = detail ? ` (${detail})` : "";
  if (status === 401 || status === 403) {
    return new AtlassianError(
      "auth",
      `the organization API key was rejected (expired or wrong scope?): ${label} answered ${status}${suffix}; check ATLASSIAN_API_KEY`,
      { status },
    );
  }
  if (status === 429) {
    return new AtlassianError("rate-limited", `${label} was rate limited (429)`, {
      status,
      retryAfterMs: rateLimitWaitMs(response.headers, now),
    });
  }
  if (status >= 500)
    return new AtlassianError("server", `${label} answered ${status}${suffix}`, { status });
  if (status === 404) {
    // The list of organizations names none: its 404 says the address is wrong, not the id.
    const check = label.endsWith("/admin/v1/orgs")
      ? "check ATLASSIAN_API_BASE_URL, the API's address alone (https://api.atlassian.com)"
      : "check ATLASSIAN_ORG_ID and that the key belongs to that organization";
    return new AtlassianError("not-found", `${label} answered 404${suffix}: ${check}`, { status });
  }
  return new AtlassianError("bad-request", `${label} answered ${status}${suffix}`, {
    status,
    ...(first?.code ? { apiCode: first.code } : {}),
  });
}

/** The API's first error; undefined when the body is not the API's. */
function firstError(text: string) {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errors[0] : undefined;
  } catch {
    return undefined; // not JSON: say nothing more than the status
  }
}
