package dev.bilevel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of DESIGN.md, checked on the compiled classes:
 * {@code tensor → autodiff → hypergrad/meta} and {@code hpo → storage → spark, dashboard, cli},
 * the two trunks meeting only in the CLI; internal packages private to their module; no library
 * code printing to the standard streams.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bilevel");
    }

    @Test
    void tensorDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("dev.bilevel.tensor..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.autodiff..", "dev.bilevel.hpo..", "dev.bilevel.hypergrad..",
                        "dev.bilevel.meta..", "dev.bilevel.storage..", "dev.bilevel.cli..", "dev.bilevel.spark..",
                        "dev.bilevel.dashboard..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void autodiffDependsOnlyOnTensor() {
        noClasses().that().resideInAPackage("dev.bilevel.autodiff..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.hpo..", "dev.bilevel.hypergrad..", "dev.bilevel.meta..",
                        "dev.bilevel.storage..", "dev.bilevel.cli..", "dev.bilevel.spark..", "dev.bilevel.dashboard..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void hpoDoesNotDependOnTheGradientTrunk() {
        noClasses().that().resideInAPackage("dev.bilevel.hpo..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.tensor..", "dev.bilevel.autodiff..", "dev.bilevel.hypergrad..",
                        "dev.bilevel.meta..", "dev.bilevel.storage..", "dev.bilevel.cli..", "dev.bilevel.spark..",
                        "dev.bilevel.dashboard..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void gradientTrunkDoesNotDependOnTheHpoTrunk() {
        noClasses().that().resideInAnyPackage("dev.bilevel.hypergrad..", "dev.bilevel.meta..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.hpo..", "dev.bilevel.storage..", "dev.bilevel.spark..",
                        "dev.bilevel.dashboard..", "dev.bilevel.cli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void storageDependsOnlyOnHpo() {
        noClasses().that().resideInAPackage("dev.bilevel.storage..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.tensor..", "dev.bilevel.autodiff..", "dev.bilevel.hypergrad..",
                        "dev.bilevel.meta..", "dev.bilevel.spark..", "dev.bilevel.dashboard..", "dev.bilevel.cli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void sparkAndDashboardStayOnTheHpoTrunk() {
        noClasses().that().resideInAnyPackage("dev.bilevel.spark..", "dev.bilevel.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.bilevel.tensor..", "dev.bilevel.autodiff..", "dev.bilevel.hypergrad..",
                        "dev.bilevel.meta..", "dev.bilevel.cli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void internalPackagesStayInTheirModule() {
        for (String module : new String[] {"hypergrad", "meta", "storage", "spark", "dashboard", "cli"}) {
            noClasses().that().resideOutsideOfPackage("dev.bilevel." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.bilevel." + module + ".internal..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void tensorInternalsStayInTensor() {
        noClasses().that().resideOutsideOfPackage("dev.bilevel.tensor..")
                .should().dependOnClassesThat().resideInAPackage("dev.bilevel.tensor.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void autodiffInternalsStayInAutodiff() {
        noClasses().that().resideOutsideOfPackage("dev.bilevel.autodiff..")
                .should().dependOnClassesThat().resideInAPackage("dev.bilevel.autodiff.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void hpoInternalsStayInHpo() {
        noClasses().that().resideOutsideOfPackage("dev.bilevel.hpo..")
                .should().dependOnClassesThat().resideInAPackage("dev.bilevel.hpo.internal..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void libraryCodeNeverPrints() {
        noClasses().that().resideOutsideOfPackage("dev.bilevel.cli..")
                .and().resideOutsideOfPackage("dev.bilevel.bench..")
                .should(ACCESS_STANDARD_STREAMS)
                .allowEmptyShould(true)
                .check(classes);
    }
}
