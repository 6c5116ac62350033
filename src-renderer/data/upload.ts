// Browser mode: a dropped file is uploaded to the local engine (PUT /api/upload?name=…, the
// per-run token in X-Spymaster-Token; docs/PARALLEL-SEAMS.md), which answers where it put it;
// the window then opens that path like a typed one. XMLHttpRequest, not fetch: only it reports
// upload progress.

export interface UploadProgress {
  name: string;
  loaded: number;
  total: number;
}

export class UploadError extends Error {
  constructor(
    readonly userMessage: string,
    readonly hint: string,
  ) {
    super(userMessage);
    this.name = 'UploadError';
  }
}

export function uploadFile(file: File, token: string | null, onProgress: (p: UploadProgress) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/upload?name=${encodeURIComponent(file.name)}`);
    if (token) xhr.setRequestHeader('X-Spymaster-Token', token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ name: file.name, loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => reject(new UploadError(`Could not upload ${file.name} to the engine.`, 'The engine may have stopped; check that `spymaster serve` is still running.'));
    xhr.onload = () => {
      if (xhr.status === 401 || xhr.status === 403)
        return reject(new UploadError(`The engine refused the upload of ${file.name}.`, 'This page has no valid token: open the URL that `spymaster serve` printed (with ?token=…).'));
      if (xhr.status === 404)
        return reject(new UploadError('This engine does not accept dropped files.', 'Use Open file… and type the file’s path on the engine’s machine.'));
      if (xhr.status === 413) return reject(new UploadError(`${file.name} is larger than the engine accepts for an upload.`, 'Use Open file… and type its path instead.'));
      if (xhr.status < 200 || xhr.status >= 300) return reject(new UploadError(`The upload of ${file.name} failed (HTTP ${xhr.status}).`, xhr.responseText.slice(0, 300)));
      try {
        const path = (JSON.parse(xhr.responseText) as { path?: unknown }).path;
        if (typeof path !== 'string' || !path) throw new Error('no path');
        resolve(path);
      } catch {
        reject(new UploadError(`The engine's answer to the upload of ${file.name} was not understood.`, 'The window and the engine may come from different versions.'));
      }
    };
    xhr.send(file);
  });
}
