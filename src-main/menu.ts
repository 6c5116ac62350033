// The application menu as a pure function of state → template, so it is tested without
// Electron. Menu items send the window the same commands its own controls use (the window
// talks to the engine; main stays out of the data path). Keys the window already handles
// (Space, ←/→, +/−) are shown but not registered, so they keep working in the page.
import type { MenuItemConstructorOptions } from 'electron';
import { FIELD_INFO, HEATMAP_FIELDS, type MenuCommand } from '../contracts/protocol';

export interface MenuState {
  isMac: boolean;
  recentFiles: string[];
  field: string;
  appName: string;
}

export interface MenuActions {
  openDialog(): void;
  openPath(path: string): void;
  clearRecent(): void;
  /** Forward a command to the window. */
  command(command: MenuCommand, arg?: unknown): void;
  about(): void;
  quit(): void;
}

const SPEED_CHOICES: (number | 'max')[] = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 'max'];
const OVERLAYS: { id: string; label: string }[] = [
  { id: 'spot', label: 'Spot Line' },
  { id: 'walls', label: 'Walls and Voids' },
  { id: 'trades', label: 'Trades' },
  { id: 'options', label: 'Options Bars' },
  { id: 'forecast', label: 'Forecast' },
];

export function buildMenuTemplate(s: MenuState, a: MenuActions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = s.recentFiles.length
    ? [
        ...s.recentFiles.map((p): MenuItemConstructorOptions => ({ label: p, click: () => a.openPath(p) })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => a.clearRecent() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open DBN…', accelerator: 'CmdOrCtrl+O', click: () => a.openDialog() },
      { label: 'Open Recent', submenu: recent },
      { label: 'Open Demo Session', click: () => a.command('open-demo') },
      { type: 'separator' },
      { label: 'Cancel Ingest', accelerator: 'CmdOrCtrl+.', click: () => a.command('cancel-ingest') },
      { label: 'Close Session', accelerator: 'CmdOrCtrl+W', click: () => a.command('close-session') },
      ...(s.isMac ? [] : ([{ type: 'separator' }, { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => a.quit() }] as MenuItemConstructorOptions[])),
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      {
        label: 'Field',
        submenu: HEATMAP_FIELDS.map(
          (f, i): MenuItemConstructorOptions => ({
            label: FIELD_INFO[f].label,
            type: 'radio',
            checked: s.field === f,
            accelerator: i < 9 ? `CmdOrCtrl+${i + 1}` : undefined,
            click: () => a.command('field', f),
          }),
        ),
      },
      {
        label: 'Overlays',
        submenu: OVERLAYS.map((o): MenuItemConstructorOptions => ({ label: o.label, type: 'checkbox', checked: o.id === 'spot', click: () => a.command('overlay', o.id) })),
      },
      { label: 'Log Scale', type: 'checkbox', accelerator: 'CmdOrCtrl+L', click: () => a.command('log-scale') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'togglefullscreen' },
      { role: 'toggleDevTools' },
    ],
  };

  const playback: MenuItemConstructorOptions = {
    label: 'Playback',
    submenu: [
      { label: 'Play / Pause', accelerator: 'Space', registerAccelerator: false, click: () => a.command('play-pause') },
      { label: 'Step Forward 1 s', accelerator: 'Right', registerAccelerator: false, click: () => a.command('step-forward') },
      { label: 'Step Back 1 s', accelerator: 'Left', registerAccelerator: false, click: () => a.command('step-back') },
      { label: 'Skip Forward 1 min', accelerator: 'CmdOrCtrl+Right', click: () => a.command('skip', 1) },
      { label: 'Skip Back 1 min', accelerator: 'CmdOrCtrl+Left', click: () => a.command('skip', -1) },
      { type: 'separator' },
      { label: 'Faster', accelerator: 'Plus', registerAccelerator: false, click: () => a.command('speed-up') },
      { label: 'Slower', accelerator: '-', registerAccelerator: false, click: () => a.command('speed-down') },
      {
        label: 'Speed',
        submenu: SPEED_CHOICES.map((v): MenuItemConstructorOptions => ({ label: v === 'max' ? 'As Fast As Possible' : `${v}×`, type: 'radio', checked: v === 1, click: () => a.command('set-speed', v) })),
      },
    ],
  };

  const help: MenuItemConstructorOptions = { label: 'Help', submenu: [{ label: `About ${s.appName}`, click: () => a.about() }] };

  const template: MenuItemConstructorOptions[] = [file, { role: 'editMenu' }, view, playback, help];
  if (s.isMac) template.unshift({ label: s.appName, submenu: [{ label: `About ${s.appName}`, click: () => a.about() }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }] });
  return template;
}
