'use client';

import { signIn } from 'next-auth/react';
import { useEffect, useState } from 'react';

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  // Until the page is interactive a click would do nothing: say when it will.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <button type="button" className="button" data-testid="sign-in" data-ready={ready} disabled={!ready} onClick={() => void signIn('incidentops', { callbackUrl })}>
      Sign in →
    </button>
  );
}
