import type { Metadata } from 'next';
import { LandingCard } from '@/components/LandingCard';
import { SignInButton } from './SignInButton';

export const metadata: Metadata = { title: 'Sign in · IncidentOps' };

const ERRORS: Record<string, string> = {
  OAuthCallback: 'The sign-in provider did not complete the sign-in. Try again.',
  OAuthSignin: 'The sign-in provider could not be reached.',
  AccessDenied: 'You may not sign in to IncidentOps.',
};

/** Where every console page sends someone who is not signed in. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only a path of ours: a full URL here would make this page an open redirect.
  const back = callbackUrl?.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/ops';
  return (
    <LandingCard>
      <p className="landing__lead">Sign in to see incidents, approve remediations and watch the agents work.</p>
        {error && <p className="error" role="alert">{ERRORS[error] ?? `Sign-in failed (${error}).`}</p>}
        <SignInButton callbackUrl={back} />
    </LandingCard>
  );
}
