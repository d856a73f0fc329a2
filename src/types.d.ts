// Ambient module types: SQL files imported as text (embedded migrations).
declare module "*.sql" {
  const text: string;
  export default text;
}

// The dashboard bundle `npm run build` writes for the compile only (src/dashboard/prebuilt.ts); absent in a checkout.
declare module "*/prebuilt-assets.json" {
  const prebuilt: { assets: { name: string; type: string; body: string }[] };
  export default prebuilt;
}

// Stylesheets the dashboard's browser code imports; Bun.build bundles them into one CSS file.
declare module "*.css" {}
