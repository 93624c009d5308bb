/**
 * Where the browser finds the API. Read per request on the server: Aspire injects the
 * service-discovery variable (WithReference) into the process environment at run time.
 */
export function resolveApiUrl(): string {
  const url = process.env.services__api__http__0 || process.env.API_URL || 'http://localhost:5080';
  return url.replace(/\/+$/, '');
}

/**
 * Where the browser finds the live hub (`/hubs/ops`): the API's image in the hub role, a service of its own so a crowd
 * of screens is scaled apart from intake. Without one named, the API itself (its default role serves the hub too).
 */
export function resolveHubUrl(): string {
  const url = process.env.services__hub__http__0 || process.env.HUB_URL || resolveApiUrl();
  return url.replace(/\/+$/, '');
}
