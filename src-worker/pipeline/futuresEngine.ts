// FuturesEngine is the future_mbo product's engine and lives with it (products/futureMbo/);
// this name stays for the tests and tools that drive the engine directly.
export * from '../products/futureMbo/futuresEngine';
