// Next.js configuration. The ClickHouse client and the embedded engine (chdb, a native
// addon of ~540 MB) must be loaded by Node at run time, never bundled.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ['chdb', '@chdb/lib-linux-x64-gnu', '@clickhouse/client', 'prom-client'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};
export default nextConfig;
