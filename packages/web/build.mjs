// Bundles the dashboard into dist/: index.html, one hashed JS file, one hashed CSS file and
// an icon. index.html refers to them by relative URL and carries no inline script, so the
// page runs under `default-src 'self'`.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.join(webDir, 'dist');
const assetsDir = path.join(distDir, 'assets');
const MAX_GZIP_BYTES = 300 * 1024;

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b0e13"/><path d="M6 22 L12 13 L17 18 L26 7" stroke="#4ea1ff" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>\n`;

async function bundle() {
  const result = await build({
    entryPoints: [path.join(webDir, 'src/main.tsx')],
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return Object.keys(result.metafile.outputs).map((output) => path.resolve(output));
}

function renderIndexHtml(scriptPath, stylePath) {
  const relative = (file) => path.relative(distDir, file).split(path.sep).join('/');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="dark" />
    <title>Foghorn</title>
    <link rel="icon" type="image/svg+xml" href="assets/icon.svg" />
    <link rel="stylesheet" href="${relative(stylePath)}" />
    <script type="module" src="${relative(scriptPath)}"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;
}

async function printSizes(files) {
  let totalGzipBytes = 0;
  for (const file of files) {
    const content = await readFile(file);
    const gzipBytes = gzipSync(content, { level: 9 }).length;
    totalGzipBytes += gzipBytes;
    const name = path.relative(webDir, file);
    console.log(
      `  ${name.padEnd(40)} ${(content.length / 1024).toFixed(1).padStart(7)} KB  ${(gzipBytes / 1024).toFixed(1).padStart(6)} KB gzip`,
    );
  }
  console.log(
    `dashboard: ${(totalGzipBytes / 1024).toFixed(1)} KB gzipped in total (limit ${MAX_GZIP_BYTES / 1024} KB)`,
  );
  if (totalGzipBytes > MAX_GZIP_BYTES) {
    throw new Error(
      `The dashboard bundle is ${totalGzipBytes} bytes gzipped, over the ${MAX_GZIP_BYTES}-byte limit. Remove a dependency or split the bundle.`,
    );
  }
}

async function main() {
  const startedMs = Date.now();
  await rm(distDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });

  const outputs = await bundle();
  const scriptPath = outputs.find((file) => file.endsWith('.js'));
  const stylePath = outputs.find((file) => file.endsWith('.css'));
  if (scriptPath === undefined || stylePath === undefined) {
    throw new Error(
      `esbuild wrote ${outputs.join(', ')}, but one .js and one .css file were expected.`,
    );
  }
  const indexPath = path.join(distDir, 'index.html');
  const iconPath = path.join(assetsDir, 'icon.svg');
  await writeFile(indexPath, renderIndexHtml(scriptPath, stylePath));
  await writeFile(iconPath, ICON_SVG);

  console.log(
    `dashboard built into ${path.relative(process.cwd(), distDir) || '.'} in ${Date.now() - startedMs} ms`,
  );
  await printSizes([indexPath, scriptPath, stylePath, iconPath]);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
