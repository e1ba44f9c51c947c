// A real OpenID Connect provider for the end-to-end suite (npm oauth2-mock-server): it signs
// every visitor in at once as the person below, so specs can drive the full code + PKCE flow.
import { OAuth2Server } from "oauth2-mock-server";

const port = Number(process.env.OIDC_PORT ?? 3101);
const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
server.service.on("beforeUserinfo", (response) => {
  response.body = {
    sub: "e2e-oidc-user",
    email: "oidc.user@example.com",
    email_verified: true,
    name: "Oidc User",
  };
});
await server.start(port, "127.0.0.1");
console.log(`OIDC provider listening at ${server.issuer.url}`);
