import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { endSessionUrl } from '@/lib/auth';

/**
 * After next-auth has cleared our session cookie, where the browser goes to end the provider's session too.
 * Read server-side: the identity token never reaches the page's JavaScript.
 */
export async function GET(request: NextRequest) {
  const token = await getToken({ req: request, secureCookie: true });
  const origin = process.env.NEXTAUTH_URL?.replace(/\/+$/, '') ?? request.nextUrl.origin;
  const url = await endSessionUrl(token?.idToken as string | undefined, `${origin}/`);
  return NextResponse.json({ url });
}
