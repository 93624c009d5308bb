import { getServerSession, type Session } from 'next-auth';
import { redirect } from 'next/navigation';
import { assertSignInConfigured, authOptions } from './auth';

/** The signed-in person's session for a page; anyone else goes to sign in, and comes back to <paramref name="path"/>. */
export async function requireSession(path: string): Promise<Session> {
  assertSignInConfigured();
  const session = await getServerSession(authOptions);
  if (!session?.accessToken || session.error) {
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  return session;
}
