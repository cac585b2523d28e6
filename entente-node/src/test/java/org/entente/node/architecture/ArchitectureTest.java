package org.entente.node.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.entente.node.policy.Release;
import org.entente.node.store.ObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/ARCHITECTURE.md, as rules: a change that makes a lower package use a
 * higher one, or two features use each other, fails here before it tangles the node.
 */
class ArchitectureTest {
    static JavaClasses node;
    static JavaClasses libraries;

    @BeforeAll
    static void load() {
        ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
        node = importer.importPackages("org.entente.node");
        libraries = importer.importPackages("org.entente.stix", "org.entente.pattern", "org.entente.screening");
    }

    @Test
    void librariesNeverImportTheNode() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.entente.node..").check(libraries);
    }

    @Test
    void featuresDoNotDependOnEachOtherInCircles() {
        slices().matching("org.entente.node.(*)..").should().beFreeOfCycles().check(node);
    }

    /** Each package and the packages above it, which it must not use. */
    static final Map<String, List<String>> NOT_ABOVE = new LinkedHashMap<>();

    static {
        List<String> order = List.of("common", "config", "db", "audit", "partners", "users", "store", "policy", "intake",
                "http");
        List<String> features = List.of("taxii", "search", "ops", "cli", "federation", "screening", "console", "requests",
                "watchlists");
        for (int i = 0; i < order.size(); i++) {
            List<String> above = new java.util.ArrayList<>(order.subList(i + 1, order.size()));
            above.addAll(features);
            NOT_ABOVE.put(order.get(i), above);
        }
        // Configuration and PEM files are read by the lowest layers; they use nothing of the node but common.
        NOT_ABOVE.put("tls", List.of("db", "audit", "partners", "users", "store", "policy", "intake", "http", "taxii",
                "search", "ops", "cli"));
    }

    @Test
    void lowerPackagesDoNotUseHigherOnes() {
        NOT_ABOVE.forEach((pkg, above) -> {
            String[] forbidden = above.stream().map(p -> "org.entente.node." + p + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("org.entente.node." + pkg + "..")
                    .and().resideOutsideOfPackage("org.entente.node.policy.api..")
                    .and().resideOutsideOfPackage("org.entente.node.policy.store..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .because("docs/ARCHITECTURE.md puts " + pkg + " below " + above)
                    .check(node);
        });
    }

    @Test
    void theStoreKnowsNothingOfThePolicy() {
        noClasses().that().resideInAPackage("org.entente.node.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.entente.node.policy..", "org.entente.node.users..")
                .check(node);
    }

    /** The store's methods that hand out objects' content. */
    static final java.util.Set<String> READS = java.util.Set.of("list", "mentions", "search", "latest", "relationships");

    @Test
    void onlyThePolicyReleasesData() {
        classes().should(new ArchCondition<JavaClass>("decide what they read from the store with a Release") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                boolean reads = c.getMethodCallsFromSelf().stream().anyMatch(call ->
                        call.getTargetOwner().isEquivalentTo(ObjectStore.class)
                                && READS.contains(call.getName()));
                if (!reads || c.getPackageName().equals("org.entente.node.store")) return;
                boolean decides = c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(d -> d.getTargetClass().isAssignableTo(Release.class));
                if (!decides) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " reads objects from the store without"
                            + " deciding them with a Release"));
                }
            }
        }).because("every read path decides each object with the policy before it leaves").check(node);
    }

    @Test
    void httpHandlersLiveOnlyInApiPackages() {
        noClasses().that().resideInAnyPackage("org.entente.node.store..", "org.entente.node.policy",
                        "org.entente.node.policy.store..", "org.entente.node.users..", "org.entente.node.partners..",
                        "org.entente.node.audit..", "org.entente.node.intake..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "jakarta.servlet..")
                .because("business rules must be usable without HTTP (the CLI and partners' nodes use them too)")
                .check(node);
    }
}
