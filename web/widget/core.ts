/**
 * The first view's modules that on-demand chunks use too. Each on-demand module imports this
 * file, so esbuild's code splitting puts them all in one shared chunk: split by which chunks use
 * them, they made four, each a request and its own gzip overhead before the footer is drawn.
 */
export * from '../shared/api';
export * from '../shared/dom';
export * from '../shared/storage';
export * from './link-button';
export * from './list-panel';
export * from './strings';
