import type { NextConfig } from 'next';
import { resolveApiUrl, resolveHubUrl } from './lib/apiUrl';

const development = process.env.NODE_ENV !== 'production';

/**
 * Security headers on every page. The browser talks to the API (REST) and the live hub (negotiation and its WebSocket)
 * directly, so the content security policy names both (the same origin where one load balancer serves them); nothing
 * may frame the console (clickjacking an approve button).
 */
function securityHeaders() {
  const origins = [...new Set([resolveApiUrl(), resolveHubUrl()])];
  const sockets = origins.map((url) => url.replace(/^http/, 'ws'));
  const csp = [
    "default-src 'self'",
    // Next.js inlines its bootstrap scripts; the dev server's fast refresh also evaluates code.
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${[...origins, ...sockets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
  ];
}

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The production image runs Next.js's own minimal server (.next/standalone/server.js): IncidentOps.Deploy/web-image.
  output: 'standalone',
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders() }];
  },
};

export default nextConfig;
