/** The build (web/build.ts) turns a .css import into its minified text. */
declare module '*.css' {
  const css: string;
  export default css;
}
