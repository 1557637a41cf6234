// DIMSE service class user over DCMTK's DcmSCU: C-ECHO, C-STORE, C-FIND and C-GET (Study Root).
#include "cdicom_internal.hpp"
#include "cdicom_network.h"

#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>

namespace {

/// Failure with a user-facing reason inside the network calls.
struct NetworkError {
    std::string reason;
};

void check(const OFCondition &status, const std::string &what) {
    if (status.bad()) throw NetworkError{what + ": " + status.text()};
}

/// A DIMSE status as 4 hex digits.
std::string hexStatus(Uint16 status) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04X", status);
    return hex;
}

/// Storage classes accepted back during C-GET (the SCP role is proposed for each).
const char *const kRetrievableClasses[] = {
    UID_CTImageStorage, UID_EnhancedCTImageStorage, UID_MRImageStorage, UID_EnhancedMRImageStorage,
    UID_SegmentationStorage, UID_EnhancedSRStorage, UID_ComprehensiveSRStorage, UID_Comprehensive3DSRStorage,
    UID_BasicTextSRStorage, UID_SecondaryCaptureImageStorage, UID_RTStructureSetStorage, UID_PositronEmissionTomographyImageStorage,
    UID_DigitalXRayImageStorageForPresentation, UID_ComputedRadiographyImageStorage, UID_UltrasoundImageStorage,
    UID_XRayAngiographicImageStorage, UID_EncapsulatedPDFStorage, UID_KeyObjectSelectionDocumentStorage,
};

/// Transfer syntaxes accepted back during C-GET, so the peer never has to transcode to send.
const char *const kRetrievableSyntaxes[] = {
    UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
    UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess1TransferSyntax,
    UID_JPEGLSLosslessTransferSyntax, UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
    UID_RLELosslessTransferSyntax,
};

/// A DcmSCU set up for `peer`, Nagle off, quiet logging.
void configure(DcmSCU &scu, const cdicom_peer &peer) {
    if (peer.host == nullptr || *peer.host == '\0') throw NetworkError{"no host"};
    if (peer.port == 0) throw NetworkError{"no port"};
    if (peer.called_ae == nullptr || peer.calling_ae == nullptr || !*peer.called_ae || !*peer.calling_ae ||
        std::strlen(peer.called_ae) > 16 || std::strlen(peer.calling_ae) > 16)
        throw NetworkError{"AE titles must be 1 to 16 characters"};
    // DCMTK 3.6.7 turns Nagle off only when TCP_NODELAY is set (dulfsm.cc); an explicit user value wins.
    setenv("TCP_NODELAY", "1", 0);
    scu.setPeerHostName(peer.host);
    scu.setPeerPort(peer.port);
    scu.setPeerAETitle(peer.called_ae);
    scu.setAETitle(peer.calling_ae);
    Uint32 timeout = peer.timeout_seconds ? peer.timeout_seconds : 30;
    scu.setConnectionTimeout(static_cast<Sint32>(timeout));
    scu.setACSETimeout(timeout);
    scu.setDIMSETimeout(timeout);
    scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    scu.setVerbosePCMode(OFFalse);
}

void connect(DcmSCU &scu, const cdicom_peer &peer) {
    check(scu.initNetwork(), "network set-up");
    OFCondition status = scu.negotiateAssociation();
    if (status.bad())
        throw NetworkError{std::string("association with ") + peer.called_ae + "@" + peer.host + ":" + std::to_string(peer.port) +
                           " failed: " + status.text()};
}

OFList<OFString> syntaxes(std::initializer_list<const char *> uids) {
    OFList<OFString> list;
    for (const char *uid : uids) list.push_back(uid);
    return list;
}

/// Proposes a query/retrieve information model in explicit or implicit little endian.
void proposeModel(DcmSCU &scu, const char *model) {
    check(scu.addPresentationContext(model, syntaxes({UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax})),
          "context");
}

/// The context the peer accepted for `model`; releases the association and throws when it refused it.
T_ASC_PresentationContextID acceptedContext(DcmSCU &scu, const char *model, const char *service) {
    T_ASC_PresentationContextID id = scu.findAnyPresentationContextID(model, "");
    if (id == 0) {
        scu.releaseAssociation();
        throw NetworkError{std::string("the peer does not offer Study Root ") + service};
    }
    return id;
}

/// The query identifier: level plus keys.
DcmDataset identifier(const char *level, const cdicom_query_key *keys, size_t count) {
    std::string text = level ? level : "";
    if (text != "STUDY" && text != "SERIES" && text != "IMAGE") throw NetworkError{"query level must be STUDY, SERIES or IMAGE"};
    if (keys == nullptr && count > 0) throw NetworkError{"no query keys"};
    DcmDataset query;
    check(query.putAndInsertString(DCM_QueryRetrieveLevel, text.c_str()), "query level");
    for (size_t k = 0; k < count; ++k)
        check(query.putAndInsertString(DcmTagKey(keys[k].group, keys[k].element), keys[k].value ? keys[k].value : ""),
              "query key " + std::string(DcmTag(DcmTagKey(keys[k].group, keys[k].element)).getTagName()));
    return query;
}

template <typename Body>
int guarded(char *message, size_t capacity, Body body) {
    try {
        cdicom::registerCodecs();
        body();
        return 0;
    } catch (const NetworkError &error) {
        return cdicom::fail(message, capacity, error.reason);
    } catch (const std::bad_alloc &) {
        return cdicom::fail(message, capacity, "out of memory");
    } catch (const std::exception &error) {
        return cdicom::fail(message, capacity, std::string("network error: ") + error.what());
    } catch (...) {
        return cdicom::fail(message, capacity, "network error");
    }
}

/// SOP class and transfer syntax of a file, from its meta header.
std::pair<std::string, std::string> describeFile(const char *path) {
    DcmFileFormat format;
    OFCondition status = format.loadFileUntilTag(path, EXS_Unknown, EGL_noChange, 256, ERM_autoDetect, DCM_PixelData);
    if (status.bad()) throw NetworkError{std::string(path) + ": cannot read: " + status.text()};
    OFString sopClass, syntax;
    format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
    if (sopClass.empty()) format.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass);
    format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, syntax);
    if (syntax.empty()) syntax = UID_LittleEndianImplicitTransferSyntax;
    if (sopClass.empty()) throw NetworkError{std::string(path) + ": no SOP Class UID"};
    return {sopClass.c_str(), syntax.c_str()};
}

}  // namespace

extern "C" int cdicom_echo(const cdicom_peer *peer, char *message, size_t capacity) {
    if (peer == nullptr) return cdicom::fail(message, capacity, "no peer");
    return guarded(message, capacity, [&] {
        DcmSCU scu;
        configure(scu, *peer);
        check(scu.addPresentationContext(UID_VerificationSOPClass, syntaxes({UID_LittleEndianImplicitTransferSyntax})), "context");
        connect(scu, *peer);
        OFCondition status = scu.sendECHORequest(0);
        scu.releaseAssociation();
        check(status, "C-ECHO");
    });
}

extern "C" int cdicom_store(const cdicom_peer *peer, const char *const *paths, size_t count,
                            int (*progress)(void *, size_t, size_t), void *context, size_t *stored,
                            char *message, size_t capacity) {
    if (peer == nullptr || stored == nullptr) return cdicom::fail(message, capacity, "no peer or counter");
    *stored = 0;
    if (paths == nullptr || count == 0) return cdicom::fail(message, capacity, "no files to send");
    return guarded(message, capacity, [&] {
        std::vector<std::pair<std::string, std::string>> kinds(count);
        std::map<std::string, std::set<std::string>> contexts;
        for (size_t i = 0; i < count; ++i) {
            if (paths[i] == nullptr) throw NetworkError{"null path"};
            kinds[i] = describeFile(paths[i]);
            contexts[kinds[i].first].insert(kinds[i].second);
        }
        if (contexts.size() > 120) throw NetworkError{"more than 120 SOP classes in one send"};
        DcmSCU scu;
        configure(scu, *peer);
        for (const auto &[sopClass, fileSyntaxes] : contexts) {
            OFList<OFString> list;
            for (const std::string &syntax : fileSyntaxes) list.push_back(syntax.c_str());
            if (!fileSyntaxes.count(UID_LittleEndianExplicitTransferSyntax)) list.push_back(UID_LittleEndianExplicitTransferSyntax);
            if (!fileSyntaxes.count(UID_LittleEndianImplicitTransferSyntax)) list.push_back(UID_LittleEndianImplicitTransferSyntax);
            check(scu.addPresentationContext(sopClass.c_str(), list), "context for " + sopClass);
        }
        connect(scu, *peer);
        std::string firstFailure;
        for (size_t i = 0; i < count; ++i) {
            T_ASC_PresentationContextID id = scu.findPresentationContextID(kinds[i].first.c_str(), kinds[i].second.c_str());
            if (id == 0) id = scu.findAnyPresentationContextID(kinds[i].first.c_str(), kinds[i].second.c_str());
            Uint16 response = 0;
            OFCondition status = id == 0 ? OFCondition(EC_IllegalCall)
                                         : scu.sendSTORERequest(id, OFFilename(paths[i]), nullptr, response);
            if (id == 0 && firstFailure.empty())
                firstFailure = std::string(paths[i]) + ": the peer accepted no presentation context for " + kinds[i].first;
            else if (status.bad() && firstFailure.empty())
                firstFailure = std::string(paths[i]) + ": C-STORE failed: " + status.text();
            else if (status.good() && response != 0 && (response & 0xF000) != 0xB000 && firstFailure.empty())
                firstFailure = std::string(paths[i]) + ": refused by the peer (status 0x" + hexStatus(response) + ")";
            else if (status.good() && (response == 0 || (response & 0xF000) == 0xB000))
                ++*stored;
            if (status.bad() && id != 0) break;  // the association is gone
            if (progress != nullptr && progress(context, i + 1, count) != 0) {
                if (firstFailure.empty()) firstFailure = "cancelled after " + std::to_string(i + 1) + " file(s)";
                break;
            }
        }
        scu.releaseAssociation();
        if (!firstFailure.empty()) throw NetworkError{firstFailure};
    });
}

extern "C" int cdicom_find(const cdicom_peer *peer, const char *level, const cdicom_query_key *keys, size_t key_count,
                           void (*visit)(void *, const char *const *, size_t), void *context, char *message, size_t capacity) {
    if (peer == nullptr || visit == nullptr) return cdicom::fail(message, capacity, "no peer or visitor");
    return guarded(message, capacity, [&] {
        DcmDataset query = identifier(level, keys, key_count);
        DcmSCU scu;
        configure(scu, *peer);
        proposeModel(scu, UID_FINDStudyRootQueryRetrieveInformationModel);
        connect(scu, *peer);
        T_ASC_PresentationContextID id = acceptedContext(scu, UID_FINDStudyRootQueryRetrieveInformationModel, "C-FIND");
        OFList<QRResponse *> responses;
        OFCondition status = scu.sendFINDRequest(id, &query, &responses);
        scu.releaseAssociation();
        std::string failure;
        for (QRResponse *response : responses) {
            if (status.good() && response->m_dataset != nullptr && failure.empty()) {
                std::vector<std::string> values(key_count);
                std::vector<const char *> pointers(key_count);
                for (size_t k = 0; k < key_count; ++k) {
                    OFString value;
                    response->m_dataset->findAndGetOFStringArray(DcmTagKey(keys[k].group, keys[k].element), value);
                    values[k] = value.c_str();
                    pointers[k] = values[k].c_str();
                }
                visit(context, pointers.data(), key_count);
            } else if (response->m_dataset == nullptr && response->m_status != 0 && (response->m_status & 0xFF00) != 0xFF00) {
                failure = "C-FIND failed with status 0x" + hexStatus(response->m_status);
            }
            delete response;
        }
        check(status, "C-FIND");
        if (!failure.empty()) throw NetworkError{failure};
    });
}

extern "C" int cdicom_get(const cdicom_peer *peer, const char *level, const cdicom_query_key *keys, size_t key_count,
                          const char *directory, size_t *received, char *message, size_t capacity) {
    if (peer == nullptr || received == nullptr || directory == nullptr) return cdicom::fail(message, capacity, "no peer, counter or folder");
    *received = 0;
    return guarded(message, capacity, [&] {
        DcmDataset query = identifier(level, keys, key_count);
        DcmSCU scu;
        configure(scu, *peer);
        OFList<OFString> all;
        for (const char *syntax : kRetrievableSyntaxes) all.push_back(syntax);
        proposeModel(scu, UID_GETStudyRootQueryRetrieveInformationModel);
        for (const char *sopClass : kRetrievableClasses) check(scu.addPresentationContext(sopClass, all, ASC_SC_ROLE_SCP), "storage context");
        scu.setStorageMode(DCMSCU_STORAGE_BIT_PRESERVING);
        scu.setStorageDir(directory);
        connect(scu, *peer);
        T_ASC_PresentationContextID id = acceptedContext(scu, UID_GETStudyRootQueryRetrieveInformationModel, "C-GET");
        OFList<RetrieveResponse *> responses;
        OFCondition status = scu.sendCGETRequest(id, &query, &responses);
        scu.releaseAssociation();
        Uint16 completed = 0, failed = 0, finalStatus = 0;
        for (RetrieveResponse *response : responses) {
            completed = response->m_numberOfCompletedSubops;
            failed = response->m_numberOfFailedSubops;
            finalStatus = response->m_status;
            delete response;
        }
        check(status, "C-GET");
        *received = completed;
        if (failed > 0) throw NetworkError{std::to_string(failed) + " instance(s) could not be retrieved"};
        if (finalStatus != 0) throw NetworkError{"C-GET ended with status 0x" + hexStatus(finalStatus)};
        if (completed == 0) throw NetworkError{"nothing matched the query"};
    });
}
