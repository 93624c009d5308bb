import type { Role } from './roles';

declare module 'next-auth' {
  interface Session {
    /** The person's access token for the API and the hub. */
    accessToken?: string;
    role: Role | null;
    /** Set when the tokens could not be refreshed: the person must sign in again. */
    error?: string;
  }
}
