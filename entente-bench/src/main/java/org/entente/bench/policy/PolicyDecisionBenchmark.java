package org.entente.bench.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.entente.node.policy.Action;
import org.entente.node.policy.Agreement;
import org.entente.node.policy.Category;
import org.entente.node.policy.Decision;
import org.entente.node.policy.HandlingCode;
import org.entente.node.policy.ObjectFacts;
import org.entente.node.policy.Policy;
import org.entente.node.policy.Purpose;
import org.entente.node.policy.Recipient;
import org.entente.node.policy.Subject;
import org.entente.node.policy.TlpLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decision point's cost per object (issue 5: under 10 µs at 1,000 agreements). A node with
 * 300 partner organisations in 40 nations and {@code agreements} agreements (2 to 6 parties each,
 * some by nation, every status, random rules); a page of 1,000 objects of mixed categories, TLP
 * levels, handling codes and provenance, each decided for a partner that has agreements. The same
 * page at 10 agreements is the baseline in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgs = {"-Xmx1g"})
public class PolicyDecisionBenchmark {
    static final int PAGE = 1000;

    @Param({"10", "1000"})
    int agreements;

    Policy policy;
    Subject[] subjects;
    Recipient[] recipients;
    Purpose[] purposes;
    Instant now = Instant.parse("2027-06-01T00:00:00Z");

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(5);
        String own = "identity--00000000-0000-4000-8000-000000000000";
        Map<String, String> nations = new HashMap<>();
        nations.put(own, "EE");
        List<String> orgs = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            String id = String.format("identity--00000000-0000-4000-8000-%012d", i);
            nations.put(id, String.valueOf((char) ('A' + i % 20)) + (char) ('A' + i % 2));
            orgs.add(id);
        }
        Purpose[] allPurposes = Purpose.values();
        Category[] cats = Category.values();
        List<Agreement> list = new ArrayList<>();
        for (int a = 0; a < agreements; a++) {
            List<String> parties = new ArrayList<>();
            parties.add(rnd.nextInt(10) == 0 ? "nation:EE" : own);
            int n = 1 + rnd.nextInt(5);
            for (int k = 0; k < n; k++) {
                String org = orgs.get(rnd.nextInt(orgs.size()));
                String party = rnd.nextInt(8) == 0 ? "nation:" + nations.get(org) : org;
                if (!parties.contains(party)) parties.add(party);
            }
            if (parties.size() < 2) parties.add(orgs.get(a % orgs.size()));
            EnumSet<Category> c = EnumSet.noneOf(Category.class);
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) c.add(cats[rnd.nextInt(cats.length - 1)]);
            EnumSet<Purpose> p = EnumSet.noneOf(Purpose.class);
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) p.add(allPurposes[rnd.nextInt(allPurposes.length)]);
            EnumSet<HandlingCode> h = EnumSet.noneOf(HandlingCode.class);
            for (HandlingCode code : HandlingCode.values()) if (rnd.nextBoolean()) h.add(code);
            Agreement.Status status = rnd.nextInt(10) < 7 ? Agreement.Status.ACTIVE
                    : Agreement.Status.values()[rnd.nextInt(4)];
            list.add(new Agreement("agreement--" + a, 1, "agreement " + a,
                    parties.size() == 2 ? Agreement.Kind.BILATERAL : Agreement.Kind.MULTILATERAL, parties, "MOU", null,
                    Instant.parse("2026-01-01T00:00:00Z"), rnd.nextInt(10) == 0 ? Instant.parse("2027-01-01T00:00:00Z") : null,
                    status, new Agreement.Rules(c, p, TlpLevel.values()[1 + rnd.nextInt(5)], h, rnd.nextBoolean(), "basis",
                            365, Agreement.Onward.values()[rnd.nextInt(3)], List.of(orgs.get(rnd.nextInt(orgs.size()))))));
        }
        policy = new Policy(own, nations, list);
        // Recipients: partners that have at least one agreement, as those are the ones that read.
        List<String> partners = new ArrayList<>();
        for (String o : orgs) if (!policy.agreementsWith(o).isEmpty()) partners.add(o);
        subjects = new Subject[PAGE];
        recipients = new Recipient[PAGE];
        purposes = new Purpose[PAGE];
        TlpLevel[] tlps = {TlpLevel.UNMARKED, TlpLevel.CLEAR, TlpLevel.GREEN, TlpLevel.GREEN, TlpLevel.AMBER, TlpLevel.AMBER};
        for (int i = 0; i < PAGE; i++) {
            EnumSet<HandlingCode> h = EnumSet.noneOf(HandlingCode.class);
            if (rnd.nextInt(4) == 0) h.add(HandlingCode.values()[rnd.nextInt(4)]);
            int facts = new ObjectFacts(tlps[rnd.nextInt(tlps.length)], h, cats[rnd.nextInt(cats.length)],
                    rnd.nextInt(10) == 0, false).pack();
            boolean received = rnd.nextInt(10) < 3 && agreements > 0;
            Agreement via = received ? list.get(rnd.nextInt(list.size())) : null;
            subjects[i] = received ? new Subject(facts, orgs.get(rnd.nextInt(orgs.size())), via.id(), List.of())
                    : Subject.own(facts);
            recipients[i] = new Recipient(partners.isEmpty() ? orgs.get(0) : partners.get(rnd.nextInt(partners.size())), "u");
            purposes[i] = allPurposes[rnd.nextInt(allPurposes.length)];
        }
        int permitted = 0;
        for (int i = 0; i < PAGE; i++) if (policy.decide(subjects[i], recipients[i], purposes[i], Action.READ, now).permitted()) permitted++;
        System.out.printf("%n%d agreements, %d partners with agreements, %d of %d objects permitted%n", agreements,
                partners.size(), permitted, PAGE);
    }

    /** One decision per object of a page, each for its own recipient and purpose. */
    @Benchmark
    @OperationsPerInvocation(PAGE)
    public void decide(Blackhole bh) {
        for (int i = 0; i < PAGE; i++) {
            Decision d = policy.decide(subjects[i], recipients[i], purposes[i], Action.READ, now);
            bh.consume(d);
        }
    }
}
