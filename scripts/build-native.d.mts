// Types of scripts/build-native.mjs, for the test that asks it what this machine has.
export const NATIVE_OUT: string;
export function nativeToolchain(): { cc: string; headers: string; missing?: undefined } | { missing: string };
export function buildNative(): void;
