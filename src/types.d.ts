// Ambient module types: SQL files imported as text (embedded migrations).
declare module "*.sql" {
  const text: string;
  export default text;
}
