import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The production image runs Next.js's own minimal server (.next/standalone/server.js): IncidentOps.Deploy/web-image.
  output: 'standalone',
};

export default nextConfig;
