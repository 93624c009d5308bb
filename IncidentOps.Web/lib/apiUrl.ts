/**
 * Where the browser finds the API. Read per request on the server: Aspire injects the
 * service-discovery variable (WithReference) into the process environment at run time.
 */
export function resolveApiUrl(): string {
  const url = process.env.services__api__http__0 || process.env.API_URL || 'http://localhost:5080';
  return url.replace(/\/+$/, '');
}
