import type { NextAuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { highestRole, type Role } from './roles';

/**
 * Sign-in with OpenID Connect (authorization code + PKCE): the AppHost's development provider locally, a Cognito
 * user pool in AWS, any issuer by configuration. The session is next-auth's encrypted, httpOnly, Secure, SameSite
 * cookie; it holds the person's tokens, refreshed here on the server before they expire.
 */
const development = process.env.NODE_ENV !== 'production';
// In development, `npm run dev` alone finds the AppHost's development provider and its documented client.
const issuer = (process.env.AUTH_ISSUER || (development ? 'http://localhost:5090' : '')).replace(/\/+$/, '');
const clientId = process.env.AUTH_CLIENT_ID || (development ? 'incidentops-web' : '');
const clientSecret = process.env.AUTH_CLIENT_SECRET || (development ? 'incidentops-web-development-secret' : '');
const roleClaim = process.env.AUTH_ROLE_CLAIM || 'role';
export const PROVIDER_ID = 'incidentops';

/** Outside development the dashboards refuse to serve without sign-in configured, as the API refuses to start. */
export function assertSignInConfigured(): void {
  if (!development && (!issuer || !clientId || !process.env.NEXTAUTH_SECRET)) {
    throw new Error('Sign-in is not configured: set AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and NEXTAUTH_SECRET.');
  }
}

interface Discovery {
  token_endpoint: string;
  end_session_endpoint?: string;
}

let discovery: Promise<Discovery> | null = null;
function discover(): Promise<Discovery> {
  discovery ??= fetch(`${issuer}/.well-known/openid-configuration`, { cache: 'no-store' }).then((r) => {
    if (!r.ok) throw new Error(`OIDC discovery answered ${r.status}`);
    return r.json() as Promise<Discovery>;
  });
  discovery.catch(() => (discovery = null));
  return discovery;
}

/** Exchanges the refresh token for new tokens; on failure the session says so and the person signs in again. */
async function refresh(token: JWT): Promise<JWT> {
  try {
    const { token_endpoint } = await discover();
    const response = await fetch(token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(token.refreshToken ?? ''),
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error ?? `refresh answered ${response.status}`);
    return {
      ...token,
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? token.refreshToken,
      expiresAt: Math.floor(Date.now() / 1000) + Number(body.expires_in ?? 300),
      error: undefined,
    };
  } catch {
    return { ...token, error: 'RefreshFailed' };
  }
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  // Secure cookies everywhere: browsers accept them on http://localhost, and production is https.
  useSecureCookies: true,
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  pages: { signIn: '/signin' },
  providers: [
    {
      id: PROVIDER_ID,
      name: 'IncidentOps',
      type: 'oauth',
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId,
      clientSecret,
      authorization: { params: { scope: process.env.AUTH_SCOPE || 'openid profile email roles offline_access incidentops-api' } },
      checks: ['pkce', 'state'],
      idToken: true,
      profile(profile) {
        return {
          id: String(profile.sub),
          name: String(profile.name ?? profile.preferred_username ?? profile['cognito:username'] ?? profile.sub),
          email: profile.email ? String(profile.email) : null,
          role: highestRole(profile[roleClaim]),
        };
      },
    },
  ],
  callbacks: {
    async jwt({ token, account, user }) {
      if (account) {
        return {
          ...token,
          accessToken: account.access_token,
          refreshToken: account.refresh_token,
          idToken: account.id_token,
          expiresAt: account.expires_at ?? Math.floor(Date.now() / 1000) + 300,
          role: (user as { role?: Role | null }).role ?? null,
        };
      }

      // A minute of margin: a token must not expire between this answer and the API call it is used for.
      if (typeof token.expiresAt === 'number' && Date.now() / 1000 < token.expiresAt - 60) return token;
      return token.refreshToken ? refresh(token) : { ...token, error: 'RefreshFailed' };
    },
    async session({ session, token }) {
      return {
        ...session,
        accessToken: token.accessToken as string | undefined,
        role: (token.role as Role | null) ?? null,
        error: token.error as string | undefined,
      };
    },
  },
};

/** Where to end the provider's own session after ours, so "sign out" does not sign the same person straight back in. */
export async function endSessionUrl(idToken: string | undefined, returnTo: string): Promise<string | null> {
  const { end_session_endpoint } = await discover().catch(() => ({ end_session_endpoint: undefined }) as Discovery);
  if (!end_session_endpoint) return null;
  const query = new URLSearchParams({ post_logout_redirect_uri: returnTo, client_id: clientId });
  if (idToken) query.set('id_token_hint', idToken);
  return `${end_session_endpoint}?${query}`;
}
