'use client';

import { signIn } from 'next-auth/react';

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  return (
    <button type="button" className="button" data-testid="sign-in" onClick={() => void signIn('incidentops', { callbackUrl })}>
      Sign in →
    </button>
  );
}
