import NextAuth from 'next-auth';
import { assertSignInConfigured, authOptions } from '@/lib/auth';

const nextAuth = NextAuth(authOptions);

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  assertSignInConfigured();
  return nextAuth(request, context);
}

export { handler as GET, handler as POST };
