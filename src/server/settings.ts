// The user's settings that change what the server sends. Read from the client through
// workspace/configuration when it supports it (VS Code, Neovim, Helix...), otherwise from the
// initializationOptions, otherwise the defaults.

export interface ServerSettings {
  inlayHints: { shapes: boolean; params: boolean };
}

export const DEFAULT_SETTINGS: ServerSettings = { inlayHints: { shapes: true, params: true } };

/** Reads a `seqmodel` settings section, tolerating anything a client may send. */
export function readSettings(section: unknown): ServerSettings {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const hints = (s.inlayHints && typeof s.inlayHints === 'object' ? s.inlayHints : {}) as Record<string, unknown>;
  return {
    inlayHints: {
      shapes: typeof hints.shapes === 'boolean' ? hints.shapes : DEFAULT_SETTINGS.inlayHints.shapes,
      params: typeof hints.params === 'boolean' ? hints.params : DEFAULT_SETTINGS.inlayHints.params,
    },
  };
}
