import { Link } from 'wouter';

export function Brand() {
  return (
    <Link to="/" className="brand" aria-label="Tokenauth home">
      <img src="/favicon.svg" alt="" width="28" height="28" />
      <span>Tokenauth</span>
    </Link>
  );
}
