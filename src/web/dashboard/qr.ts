import qrcode from 'qrcode-generator';

/** An SVG QR code of `text` (an otpauth:// URI), error correction M, drawn as one path. */
export function qrSvg(text: string, cellSize = 5): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const margin = 4;
  const size = (n + margin * 2) * cellSize;
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c))
        d += `M${(c + margin) * cellSize},${(r + margin) * cellSize}h${cellSize}v${cellSize}h-${cellSize}z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="QR code for your authenticator app" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}
