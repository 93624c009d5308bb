'use client';

import { signOut } from 'next-auth/react';
import { useAccess } from '@/hooks/useAccess';

/** Who is signed in, with which role, and a sign-out that also ends the provider's session. */
export function UserBar() {
  const { name, role } = useAccess();
  if (!name) return null;

  async function leave() {
    // Ask for the provider's sign-out address before our cookie (which holds the identity token) is gone.
    const { url } = (await fetch('/api/signout', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({ url: null }))) as { url: string | null };
    await signOut({ redirect: false });
    window.location.href = url ?? '/signin';
  }

  return (
    <div className="userbar" data-testid="userbar">
      <span>
        Signed in as <strong data-testid="user-name">{name}</strong> <span className="tag" data-testid="user-role">{role ?? 'no role'}</span>
      </span>
      <button type="button" className="button--quiet" data-testid="sign-out" onClick={() => void leave()}>
        Sign out
      </button>
    </div>
  );
}
