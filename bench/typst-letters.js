// typst-letters.js — compiles Typst letters to PDF with the npm package
// @myriaddreamin/typst-ts-node-compiler, for bench/campaign.sh:
//   node typst-letters.js MODULE_DIR FONT_DIR OUT_DIR FILE.typ...
// compiles every FILE in this one process (one compiler, caches shared, as
// a batch tool would), writing OUT_DIR/NAME.pdf for each.
'use strict';
const fs = require('fs');
const path = require('path');
const [moduleDir, fontDir, outDir, ...files] = process.argv.slice(2);
const { NodeCompiler } = require(path.join(moduleDir, '@myriaddreamin/typst-ts-node-compiler'));
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(files[0])),
  fontArgs: [{ fontPaths: [fontDir] }],
});
files.forEach((file, i) => {
  const pdf = compiler.pdf({ mainFilePath: path.resolve(file) });
  fs.writeFileSync(path.join(outDir, path.basename(file, '.typ') + '.pdf'), pdf);
  // What the package suggests for tools that are not watching files.
  if (i % 100 === 99) compiler.evictCache(10);
});
