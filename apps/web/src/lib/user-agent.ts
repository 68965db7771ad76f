/** "Chrome on macOS", "Firefox on Windows", "curl"…: enough to recognise a device. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  if (userAgent === 'cli') return 'Command line';
  // A DRF token brought over by `cli import-django` (apps/api/src/django/).
  if (userAgent === 'imported from Django') return 'Imported from Django';
  const browser = browserOf(userAgent);
  const os = osOf(userAgent);
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.split(/[\s/]/, 1)[0] ?? 'Unknown device';
}

function browserOf(ua: string): string | undefined {
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'Edge';
  if (/\bOPR\//.test(ua)) return 'Opera';
  if (/\b(Firefox|FxiOS)\//.test(ua)) return 'Firefox';
  if (/\bHeadlessChrome\//.test(ua)) return 'Headless Chrome';
  if (/\b(Chrome|CriOS|Chromium)\//.test(ua)) return 'Chrome';
  if (/\bVersion\/[\d.]+.*\bSafari\//.test(ua)) return 'Safari';
  if (/^curl\//.test(ua)) return 'curl';
  if (/^(HTTPie|httpie)\//.test(ua)) return 'HTTPie';
  return undefined;
}

function osOf(ua: string): string | undefined {
  if (/\biPhone\b/.test(ua)) return 'iPhone';
  if (/\biPad\b/.test(ua)) return 'iPad';
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'macOS';
  if (/\bLinux\b/.test(ua)) return 'Linux';
  return undefined;
}
