package org.entente.stix;

import java.util.Set;

/** The STIX 2.1 vocabularies (section 10) and enumerations used by the validator. */
final class Vocabularies {
    private Vocabularies() {}

    static Kind.Vocab open(String name, String... values) {
        return new Kind.Vocab(name, Set.of(values), true);
    }

    static Kind.Vocab closed(String name, String... values) {
        return new Kind.Vocab(name, Set.of(values), false);
    }

    static final Kind.Vocab ACCOUNT_TYPE = open("account-type-ov", "facebook", "ldap", "nis", "openid", "radius",
            "skype", "tacacs", "twitter", "unix", "windows-local", "windows-domain");
    static final Kind.Vocab ATTACK_MOTIVATION = open("attack-motivation-ov", "accidental", "coercion", "dominance",
            "ideology", "notoriety", "organizational-gain", "personal-gain", "personal-satisfaction", "revenge",
            "unpredictable");
    static final Kind.Vocab ATTACK_RESOURCE_LEVEL = open("attack-resource-level-ov", "individual", "club", "contest",
            "team", "organization", "government");
    static final Kind.Vocab GROUPING_CONTEXT = open("grouping-context-ov", "suspicious-activity", "malware-analysis",
            "unspecified");
    static final Kind.Vocab HASH_ALGORITHM = open("hash-algorithm-ov", "MD5", "SHA-1", "SHA-256", "SHA-512",
            "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");
    static final Kind.Vocab IDENTITY_CLASS = open("identity-class-ov", "individual", "group", "system",
            "organization", "class", "unknown");
    static final Kind.Vocab IMPLEMENTATION_LANGUAGE = open("implementation-language-ov", "applescript", "bash", "c",
            "c++", "c#", "go", "java", "javascript", "lua", "objective-c", "perl", "php", "powershell", "python",
            "ruby", "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64");
    static final Kind.Vocab INDICATOR_TYPE = open("indicator-type-ov", "anomalous-activity", "anonymization",
            "benign", "compromised", "malicious-activity", "attribution", "unknown");
    static final Kind.Vocab INDUSTRY_SECTOR = open("industry-sector-ov", "agriculture", "aerospace", "automotive",
            "chemical", "commercial", "communications", "construction", "defense", "education", "energy", "engineering",
            "entertainment", "financial-services", "government", "emergency-services", "government-local",
            "government-national", "government-public-services", "government-regional", "healthcare",
            "hospitality-leisure", "infrastructure", "dams", "nuclear", "water", "insurance", "manufacturing",
            "mining", "non-profit", "pharmaceuticals", "retail", "technology", "telecommunications",
            "transportation", "utilities");
    static final Kind.Vocab INFRASTRUCTURE_TYPE = open("infrastructure-type-ov", "amplification", "anonymization",
            "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware",
            "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation",
            "unknown");
    static final Kind.Vocab MALWARE_RESULT = open("malware-result-ov", "malicious", "suspicious", "benign", "unknown");
    static final Kind.Vocab MALWARE_CAPABILITIES = open("malware-capabilities-ov", "accesses-remote-machines",
            "anti-debugging", "anti-disassembly", "anti-emulation", "anti-memory-forensics", "anti-sandbox",
            "anti-vm", "captures-input-peripherals", "captures-output-peripherals", "captures-system-state-data",
            "cleans-traces-of-infection", "commits-fraud", "communicates-with-c2", "compromises-data-availability",
            "compromises-data-integrity", "compromises-system-availability", "controls-local-machine",
            "degrades-security-software", "degrades-system-updates", "determines-c2-server", "emails-spam",
            "escalates-privileges", "evades-av", "exfiltrates-data", "fingerprints-host", "hides-artifacts",
            "hides-executing-code", "infects-files", "infects-remote-machines", "installs-other-components",
            "persists-after-system-reboot", "prevents-artifact-access", "prevents-artifact-deletion",
            "probes-network-environment", "self-modifies", "steals-authentication-credentials",
            "violates-system-operational-integrity");
    static final Kind.Vocab MALWARE_TYPE = open("malware-type-ov", "adware", "backdoor", "bot", "bootkit", "ddos",
            "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan",
            "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware", "trojan",
            "unknown", "virus", "webshell", "wiper", "worm");
    static final Kind.Vocab PATTERN_TYPE = open("pattern-type-ov", "stix", "pcre", "sigma", "snort", "suricata", "yara");
    static final Kind.Vocab PROCESSOR_ARCHITECTURE = open("processor-architecture-ov", "alpha", "arm", "ia-64",
            "mips", "powerpc", "sparc", "x86", "x86-64");
    static final Kind.Vocab REGION = open("region-ov", "africa", "eastern-africa", "middle-africa",
            "northern-africa", "southern-africa", "western-africa", "americas", "caribbean", "central-america",
            "latin-america-caribbean", "northern-america", "south-america", "asia", "central-asia", "eastern-asia",
            "southern-asia", "south-eastern-asia", "western-asia", "europe", "eastern-europe", "northern-europe",
            "southern-europe", "western-europe", "oceania", "antarctica", "australia-new-zealand", "melanesia",
            "micronesia", "polynesia");
    static final Kind.Vocab REPORT_TYPE = open("report-type-ov", "attack-pattern", "campaign", "identity",
            "indicator", "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool",
            "vulnerability");
    static final Kind.Vocab THREAT_ACTOR_TYPE = open("threat-actor-type-ov", "activist", "competitor",
            "crime-syndicate", "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state",
            "sensationalist", "spy", "terrorist", "unknown");
    static final Kind.Vocab THREAT_ACTOR_ROLE = open("threat-actor-role-ov", "agent", "director", "independent",
            "infrastructure-architect", "infrastructure-operator", "malware-author", "sponsor");
    static final Kind.Vocab THREAT_ACTOR_SOPHISTICATION = open("threat-actor-sophistication-ov", "none", "minimal",
            "intermediate", "advanced", "expert", "innovator", "strategic");
    static final Kind.Vocab TOOL_TYPE = open("tool-type-ov", "denial-of-service", "exploitation",
            "information-gathering", "network-capture", "credential-exploitation", "remote-access",
            "vulnerability-scanning", "unknown");
    static final Kind.Vocab WINDOWS_PEBINARY_TYPE = open("windows-pebinary-type-ov", "dll", "exe", "sys");

    static final Kind.Vocab ENCRYPTION_ALGORITHM = closed("encryption-algorithm-enum", "AES-256-GCM",
            "ChaCha20-Poly1305", "mime-type-indicated");
    static final Kind.Vocab EXTENSION_TYPE = closed("extension-type-enum", "new-sdo", "new-sco", "new-sro",
            "property-extension", "toplevel-property-extension");
    static final Kind.Vocab NETWORK_SOCKET_ADDRESS_FAMILY = closed("network-socket-address-family-enum", "AF_UNSPEC",
            "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH");
    static final Kind.Vocab NETWORK_SOCKET_TYPE = closed("network-socket-type-enum", "SOCK_STREAM", "SOCK_DGRAM",
            "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET");
    static final Kind.Vocab OPINION = closed("opinion-enum", "strongly-disagree", "disagree", "neutral", "agree",
            "strongly-agree");
    static final Kind.Vocab WINDOWS_INTEGRITY_LEVEL = closed("windows-integrity-level-enum", "low", "medium", "high",
            "system");
    static final Kind.Vocab WINDOWS_REGISTRY_DATATYPE = closed("windows-registry-datatype-enum", "REG_NONE", "REG_SZ",
            "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN",
            "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION",
            "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD", "REG_INVALID_TYPE");
    static final Kind.Vocab WINDOWS_SERVICE_START_TYPE = closed("windows-service-start-type-enum",
            "SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED",
            "SERVICE_SYSTEM_ALERT");
    static final Kind.Vocab WINDOWS_SERVICE_TYPE = closed("windows-service-type-enum", "SERVICE_KERNEL_DRIVER",
            "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS");
    static final Kind.Vocab WINDOWS_SERVICE_STATUS = closed("windows-service-status-enum",
            "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING",
            "SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_STOPPED");
}
