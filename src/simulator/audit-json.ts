/** The JSON shapes the simulator serves (the subset of Atlassian's model it fills in). */

export interface AuditItem {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  links?: { self?: string; alt?: string };
}

export interface AuditUser {
  id: string;
  name?: string;
  email?: string;
}

export interface AuditActor extends AuditUser {
  auth?: { authType: string; tokenId?: string; tokenLabel?: string };
  onBehalfOf?: AuditUser;
  app?: { id: string; type: string; attributes: Record<string, unknown> };
  links: { self: string };
}

export interface AuditEvent {
  id: string;
  type: "events";
  attributes: {
    time: string;
    processedAt: string;
    action: string;
    actor: AuditActor;
    context: AuditItem[];
    container: AuditItem[];
    location?: { ip: string; countryName: string; regionName?: string; city?: string };
  };
  message?: { content: string; format: "simple" };
  links: { self: string };
}
