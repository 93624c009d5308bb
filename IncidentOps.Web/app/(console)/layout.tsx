import type { ReactNode } from 'react';
import { getServerSession } from 'next-auth';
import { SessionBoundary } from '@/components/SessionBoundary';
import { UserBar } from '@/components/UserBar';
import { authOptions } from '@/lib/auth';

/** Every console page: the person's session for the live calls, and who is signed in with a sign-out. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions);
  return (
    <SessionBoundary session={session}>
      <UserBar />
      {children}
    </SessionBoundary>
  );
}
