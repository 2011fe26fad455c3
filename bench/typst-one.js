// typst-one.js — compiles one Typst file to PDF with the npm package
// @myriaddreamin/typst-ts-node-compiler, for bench/typography-anchors.sh:
//   node typst-one.js MODULE_DIR FONT_DIR FILE.typ OUT.pdf
'use strict';
const fs = require('fs');
const path = require('path');
const [moduleDir, fontDir, file, out] = process.argv.slice(2);
const { NodeCompiler } = require(path.join(moduleDir, '@myriaddreamin/typst-ts-node-compiler'));
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(file)),
  fontArgs: [{ fontPaths: [fontDir] }],
});
fs.writeFileSync(out, compiler.pdf({ mainFilePath: path.resolve(file) }));
