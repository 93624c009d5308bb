'use client';

import { signIn, useSession } from 'next-auth/react';
import { useCallback, useEffect, useRef } from 'react';
import { can, type Capability, type Role } from '@/lib/roles';

export interface Access {
  name: string | null;
  role: Role | null;
  /** The current access token, read at call time (it is refreshed while the page stays open). */
  token: () => string | null;
  can: (capability: Capability) => boolean;
}

/** Who is signed in, what they may do, and their token for the API and the hub. */
export function useAccess(): Access {
  const { data } = useSession();
  const current = useRef<string | null>(data?.accessToken ?? null);
  current.current = data?.accessToken ?? null;

  // Tokens that can no longer be refreshed: sign in again rather than fail every call.
  useEffect(() => {
    if (data?.error) void signIn('incidentops', { callbackUrl: window.location.pathname });
  }, [data?.error]);

  const token = useCallback(() => current.current, []);
  const role = data?.role ?? null;
  return { name: data?.user?.name ?? null, role, token, can: (capability) => can(role, capability) };
}
