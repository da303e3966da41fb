/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The root tsconfig (Node code, no DOM) also includes web/, so the widget's files bring the DOM
// types with them there; `tsc -p web` checks them against the browser's types alone.
