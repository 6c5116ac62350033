// The only IPC channels between main and the window. The preload exposes exactly these
// (contextBridge), and main answers exactly these; anything else is not wired at all.
export const IPC = {
  /** main → window: one end of the engine MessageChannel (event.ports[0]). */
  enginePort: 'engine-port',
  /** main → window: a menu / drag-and-drop / command-line command: (command, arg). */
  menu: 'menu',
  /** window → main (invoke): show the Open DBN dialog; resolves to a path or null. */
  openFileDialog: 'dialog:open-file',
  /** window → main (send): the window opened a file by other means (record it in Open Recent). */
  fileOpened: 'file-opened',
} as const;

/** Message the preload posts to the page with the engine port attached. */
export const ENGINE_PORT_MESSAGE = 'spymaster:engine-port';

export const ALLOWED_SEND_CHANNELS: readonly string[] = [IPC.fileOpened];
export const ALLOWED_INVOKE_CHANNELS: readonly string[] = [IPC.openFileDialog];
export const ALLOWED_RECEIVE_CHANNELS: readonly string[] = [IPC.enginePort, IPC.menu];
