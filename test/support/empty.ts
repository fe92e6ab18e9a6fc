// Stands in for the 'server-only' guard outside Next's bundler (tests).
export {};
